// other.cjs - the npm tools' side of bench/tools/ (same contract as td_side.c):
//
//   node other.cjs readability OUT.jsonl PAGE.html...  @mozilla/readability on linkedom: {"id","body"}
//   node other.cjs readability-jsdom OUT.jsonl PAGE.html...  the same on jsdom (the DOM of Readability's README)
//   node other.cjs chrono      OUT.tsv   CORPUS.jsonl  chrono-node: id \t first full date in the text
//   node other.cjs wink        OUT.jsonl CORPUS.jsonl  wink-nlp + wink-eng-lite-web-model: runs of PROPN
//   node other.cjs compromise  OUT.jsonl CORPUS.jsonl  compromise: people(), organizations(), places()
//
// Last stdout line: "seconds=S items=N bytes=B", the timed job only (reading
// and writing outside the clock). Modules come from NODE_PATH (bench/tools
// installs them into bench/.cache/npm at benchmark time; nothing committed).
'use strict';
const fs = require('fs');
const path = require('path');

const [job, out, ...inputs] = process.argv.slice(2);
if (!job || !out || inputs.length === 0) {
    console.error('usage: node other.cjs readability|readability-jsdom|chrono|wink|compromise OUT INPUT...');
    process.exit(2);
}
const now = () => Number(process.hrtime.bigint()) / 1e9;
// CPU seconds of the process (all its threads: JIT and GC included)
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
let cpu = 0;
const lines = [];
let t = 0, items = 0, bytes = 0;

function corpus(file) {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

if (job === 'readability' || job === 'readability-jsdom') {
    const { Readability } = require('@mozilla/readability');
    // linkedom: a light DOM; jsdom: the one Readability's README uses (both
    // timed from the HTML string to the text, parsing included)
    const parse = job === 'readability' ? (html) => require('linkedom').parseHTML(html).document
                                        : (html) => new (require('jsdom').JSDOM)(html).window.document;
    for (const f of inputs) {
        const html = fs.readFileSync(f, 'utf8');
        const t0 = now(), c0 = cpuNow();
        let body = '';
        try {
            const document = parse(html);
            const art = new Readability(document).parse();
            body = art && art.textContent ? art.textContent : '';
        } catch (e) {
            body = ''; // a page readability cannot read scores as empty
        }
        t += now() - t0;
        cpu += cpuNow() - c0;
        items++;
        bytes += Buffer.byteLength(html);
        lines.push(JSON.stringify({ kind: 'article', id: path.basename(f).replace(/\.[^.]*$/, ''), body }));
    }
} else if (job === 'chrono') {
    const chrono = require('chrono-node');
    for (const a of corpus(inputs[0])) {
        const t0 = now();
        // the first date whose day, month and year are all written out: the
        // publication date lines of a page; relative ones need a reference
        let date = '';
        for (const r of chrono.parse(a.text || '')) {
            const s = r.start;
            if (s.isCertain('year') && s.isCertain('month') && s.isCertain('day')) {
                const p = (n, w) => String(n).padStart(w, '0');
                date = `${p(s.get('year'), 4)}-${p(s.get('month'), 2)}-${p(s.get('day'), 2)}`;
                break;
            }
        }
        t += now() - t0;
        items++;
        bytes += Buffer.byteLength(a.text || '');
        lines.push(`${a.id}\t${date}`);
    }
} else if (job === 'wink') {
    const winkNLP = require('wink-nlp');
    const model = require('wink-eng-lite-web-model');
    const nlp = winkNLP(model);
    const its = nlp.its;
    for (const a of corpus(inputs[0])) {
        const t0 = now();
        const doc = nlp.readDoc(a.text || '');
        const words = doc.tokens().out();
        const pos = doc.tokens().out(its.pos);
        const names = new Set();
        let run = [];
        for (let i = 0; i <= words.length; i++) {
            if (i < words.length && pos[i] === 'PROPN') {
                run.push(words[i]);
            } else {
                if (run.length) names.add(run.join(' '));
                run = [];
            }
        }
        t += now() - t0;
        items++;
        bytes += Buffer.byteLength(a.text || '');
        lines.push(JSON.stringify({ id: a.id, names: [...names] }));
    }
} else if (job === 'compromise') {
    const nlp = require('compromise');
    for (const a of corpus(inputs[0])) {
        const t0 = now();
        const doc = nlp(a.text || '');
        const r = {
            id: a.id,
            people: [...new Set(doc.people().out('array'))],
            orgs: [...new Set(doc.organizations().out('array'))],
            places: [...new Set(doc.places().out('array'))],
        };
        t += now() - t0;
        items++;
        bytes += Buffer.byteLength(a.text || '');
        lines.push(JSON.stringify(r));
    }
} else {
    console.error(`other.cjs: unknown job ${job}`);
    process.exit(2);
}
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log(`seconds=${t.toFixed(6)} items=${items} bytes=${bytes}` + (cpu > 0 ? ` cpu=${cpu.toFixed(6)}` : ''));
