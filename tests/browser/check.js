// check.js URL STORY_ID N_EVENTS N_POINTS ARTIFACTS - drives Debian's chromium
// through npm's playwright-core (tests/browser/run.sh installs it into build/)
// and checks the page as a reader sees it:
//   - the story list loads;
//   - the story page's timeline lists every event of the story, its summary
//     shows sentences linked to articles, and its map draws one point per
//     event with coordinates over the world outlines;
//   - the events page lists events and maps them; the entity page shows
//     aliases; the search box finds articles with highlighted matches;
//   - markup stored in the database is shown as text, never run;
//   - no request leaves the loopback server (closed network) and the page
//     logs no error.
// Screenshots go to ARTIFACTS. Exit 0 when every check passes.
'use strict';
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const [url, storyId, nEvents, nPoints, artifacts] = process.argv.slice(2);
const CHROME = process.env.CHROME || '/usr/bin/chromium';
// A closed network: no background traffic, no component updates, no
// safe-browsing or metrics, DNS only for localhost.
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
  '--no-first-run', '--metrics-recording-only', '--disable-domain-reliability', '--disable-breakpad',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

let failures = 0;
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures++;
}

(async () => {
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const outside = [];
  const errors = [];
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' || u.protocol === 'data:') return route.continue();
    outside.push(u.href);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
  const shot = (name, full) => page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: !!full });
  const T = { timeout: 15000 };

  // the story list
  await page.goto(url + '/#/', { waitUntil: 'load' });
  await page.waitForSelector('.story-item', T);
  check(await page.locator('.story-item').count() > 0, 'home: the story list is not empty');
  await shot('home');

  // a story: opened from the list by clicking, as a reader would
  const link = page.locator(`a[href="#/story/${storyId}"]`).first();
  if (await link.count()) await link.click(); else await page.goto(url + '/#/story/' + storyId);
  await page.waitForSelector('.tl-event', T);
  await page.waitForFunction((n) => document.querySelectorAll('.event-point').length >= n, Number(nPoints), T);
  await page.waitForTimeout(300); // outlines finish drawing
  const tl = await page.locator('.tl-event').count();
  check(tl === Number(nEvents), `story ${storyId}: the timeline lists ${tl} events, the story has ${nEvents}`);
  const pts = await page.locator('.event-point').count();
  check(pts >= Number(nPoints) && pts > 0, `story ${storyId}: the map draws ${pts} points (${nPoints} events with coordinates)`);
  const dp = await page.locator('[data-points]').first().getAttribute('data-points');
  check(dp === String(nPoints), `story ${storyId}: the map reports ${dp} points`);
  const lands = await page.locator('.land').count();
  check(lands > 50, `story ${storyId}: the map draws ${lands} country outlines (world-atlas)`);
  const sum = await page.locator('.summary li').count();
  check(sum >= 1 && sum <= 5, `story ${storyId}: the summary shows ${sum} sentences`);
  check(await page.locator('#injected').count() === 0, 'markup from the database is not rendered as HTML');
  check((await page.content()).includes('Harbour notes &lt;img'), 'a title holding markup is shown as text');
  await shot('story');
  await shot('story-full', true);

  // events with a filter, and their map
  await page.goto(url + '/#/events');
  await page.waitForSelector('.tl-event', T);
  await page.waitForFunction(() => document.querySelectorAll('.event-point').length > 0, null, T);
  check(await page.locator('.tl-event').count() > 0, 'events: the list is not empty');
  await shot('events');

  // an entity: the one with the most aliases (ENTITY_ID), from a link when
  // the events page shows one
  const entityId = process.env.ENTITY_ID;
  const ent = page.locator(`a[href="#/entity/${entityId}"]`).first();
  if (await ent.count()) await ent.click(); else await page.goto(url + '/#/entity/' + entityId);
  await page.waitForSelector('.aliases li', T);
  const al = await page.locator('.aliases li').count();
  check(al >= 2, `entity ${entityId}: ${al} aliases listed`);
  await page.waitForTimeout(300);
  await shot('entity');

  // the search box
  await page.fill('#q', 'ministry');
  await page.press('#q', 'Enter');
  await page.waitForSelector('mark', T);
  check(await page.locator('mark').count() > 0, 'search: matches are highlighted');
  await shot('search');

  check(outside.length === 0, 'no request left the loopback server' + (outside.length ? ': ' + outside.slice(0, 3).join(' ') : ''));
  check(errors.length === 0, 'the page logged no error' + (errors.length ? ': ' + errors.slice(0, 3).join(' | ') : ''));
  await browser.close();
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error('FAIL ' + (e && e.stack || e)); process.exit(1); });
