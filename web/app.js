/*
 * app.js - the tidings page. A hash router (#/story/3, #/events?type=...)
 * draws each view from the JSON API. Every piece of data is put into the
 * page as text (textContent, text nodes, DOM nodes for map tooltips), never
 * as HTML, so nothing in an article can inject markup or script.
 *
 * Views: stories (home), story (timeline, summary, map, articles with their
 * copies folded, quotes), events (filters, map, list), entities, entity,
 * articles, article, search.
 */
(function () {
  'use strict';

  var view = document.getElementById('view');
  var statsBox = document.getElementById('stats');
  var PAGE = 50;
  var worldPromise = null;

  /* ---- DOM helpers: text only ---- */

  // el('div', {class: 'x', href: '#/...'}, child, 'text', ...)
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v);
      });
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  // add(node, child, ...): appends nodes, arrays of them, or text.
  function add(node) {
    for (var i = 1; i < arguments.length; i++) addOne(node, arguments[i]);
  }

  function addOne(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { addOne(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function link(href, text, cls) { return el('a', { href: href, class: cls }, text); }

  // Only web addresses become outbound links (no javascript: or data:).
  function safeUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }

  function enc(s) { return encodeURIComponent(String(s)); }

  // A place the gazetteer lacks stands at its container's point (API field
  // coord_precision city/admin1/country): say so wherever the point shows.
  function approx(x) {
    var p = x && x.coord_precision;
    return p && p !== 'exact' ? ' (approx., ' + (p === 'admin1' ? 'province' : p) + ' level)' : '';
  }

  function fmtDate(d, precision) {
    if (!d) return 'undated';
    if (precision && precision !== 'day' && d.length >= 7) return d.slice(0, 7) + ' (' + precision + ')';
    return d;
  }

  function toll(e) {
    if (e.killed_min == null && e.killed_max == null) return null;
    var lo = e.killed_min, hi = e.killed_max;
    var t = lo === hi || hi == null ? String(lo) : lo == null ? 'up to ' + hi : lo + '–' + hi;
    return el('span', { class: 'toll', title: 'people killed, lowest and highest reported' }, t + ' killed');
  }

  function typeBadge(t) { return el('span', { class: 'type type-' + (t || 'other') }, (t || 'other').replace(/_/g, ' ')); }

  function message(text, cls) { return el('p', { class: cls || 'muted' }, text); }

  /* ---- API ---- */

  function api(path) {
    return fetch(path, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return { error: 'bad response', status: r.status }; })
        .then(function (body) {
          if (!r.ok) {
            var err = new Error(body && body.error ? body.error : 'HTTP ' + r.status);
            err.status = r.status;
            throw err;
          }
          return body;
        });
    });
  }

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      if (params[k] !== '' && params[k] !== null && params[k] !== undefined) parts.push(enc(k) + '=' + enc(params[k]));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }

  function show(title) {
    clear(view);
    document.title = title ? title + ' · tidings' : 'tidings';
    for (var i = 1; i < arguments.length; i++) add(view, arguments[i]);
  }

  function failed(err) {
    var notAvail = err.status === 404 && /not available/.test(err.message);
    show('Error', el('div', { class: notAvail ? 'notice' : 'error' }, err.message));
  }

  /* ---- the map ---- */

  // Outlines that cross the antimeridian (Fiji, Chukotka) would be drawn as
  // bands around the world on a flat map: leave those parts out (Antarctica,
  // which spans every longitude, stays).
  function unwrap(world) {
    function wide(ring) {
      var lo = 180, hi = -180, south = 90;
      ring.forEach(function (c) { lo = Math.min(lo, c[0]); hi = Math.max(hi, c[0]); south = Math.min(south, c[1]); });
      return hi - lo > 180 && south > -60;
    }
    world.features.forEach(function (f) {
      var g = f.geometry;
      if (!g) return;
      if (g.type === 'Polygon' && wide(g.coordinates[0])) f.geometry = { type: 'MultiPolygon', coordinates: [] };
      else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.filter(function (poly) { return !wide(poly[0]); });
    });
    return world;
  }

  function loadWorld() {
    if (!worldPromise) {
      worldPromise = fetch('/vendor/countries-110m.json')
        .then(function (r) { if (!r.ok) throw new Error('no outlines'); return r.json(); })
        .then(function (topo) { return window.topojson ? unwrap(window.topojson.feature(topo, topo.objects.countries)) : null; })
        .catch(function () { return null; });
    }
    return worldPromise;
  }

  // points: [{lat, lon, label, href, type}]
  function drawMap(container, points) {
    var pts = points.filter(function (p) { return typeof p.lat === 'number' && typeof p.lon === 'number'; });
    container.setAttribute('data-points', String(pts.length));
    if (!pts.length) { add(container, message('No event with a known place to map.')); return; }
    if (window.L) leafletMap(container, pts); else svgMap(container, pts);
  }

  function leafletMap(container, pts) {
    var L = window.L;
    var map = L.map(container, { attributionControl: false, worldCopyJump: false, zoomSnap: 0.5, minZoom: 1, maxZoom: 10,
      zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false }); // still frames, no half-drawn zooms
    map.setView([20, 0], 1);
    // A coordinate grid, then country outlines when available: no tiles.
    var grid = L.layerGroup().addTo(map);
    for (var lat = -60; lat <= 60; lat += 30) L.polyline([[lat, -180], [lat, 180]], { className: 'grid', weight: 1, interactive: false }).addTo(grid);
    for (var lon = -180; lon <= 180; lon += 30) L.polyline([[-85, lon], [85, lon]], { className: 'grid', weight: 1, interactive: false }).addTo(grid);
    loadWorld().then(function (world) {
      if (world) L.geoJSON(world, { className: 'land', interactive: false }).addTo(map).bringToBack();
    });
    var group = L.featureGroup().addTo(map);
    pts.forEach(function (p) {
      var m = L.circleMarker([p.lat, p.lon], { radius: 7, className: 'event-point type-' + (p.type || 'other') });
      var tip = el('div', { class: 'tip' }, el('strong', null, p.label), p.sub ? el('div', null, p.sub) : null);
      m.bindTooltip(tip, { direction: 'top' });
      if (p.href) m.on('click', function () { location.hash = p.href; });
      m.addTo(group);
    });
    map.fitBounds(group.getBounds().pad(0.8), { maxZoom: 6 });
  }

  // Equirectangular SVG with a grid and the points, when Leaflet is missing.
  function svgMap(container, pts) {
    var NS = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '-180 -90 360 180');
    svg.setAttribute('class', 'svgmap');
    for (var lat = -60; lat <= 60; lat += 30) line(-180, -lat, 180, -lat);
    for (var lon = -150; lon <= 150; lon += 30) line(lon, -90, lon, 90);
    function line(x1, y1, x2, y2) {
      var l = document.createElementNS(NS, 'line');
      l.setAttribute('x1', x1); l.setAttribute('y1', y1); l.setAttribute('x2', x2); l.setAttribute('y2', y2);
      l.setAttribute('class', 'grid');
      svg.appendChild(l);
    }
    pts.forEach(function (p) {
      var c = document.createElementNS(NS, 'circle');
      c.setAttribute('cx', p.lon); c.setAttribute('cy', -p.lat); c.setAttribute('r', 2.5);
      c.setAttribute('class', 'event-point type-' + (p.type || 'other'));
      var t = document.createElementNS(NS, 'title');
      t.textContent = p.label;
      c.appendChild(t);
      svg.appendChild(c);
    });
    container.appendChild(svg);
  }

  function eventPoints(events) {
    return events.map(function (e) {
      return {
        lat: e.lat, lon: e.lon, type: e.type, href: '#/event/' + e.id,
        label: (e.type || 'event').replace(/_/g, ' ') + (e.place ? ' in ' + e.place + approx(e) : ''),
        sub: fmtDate(e.date, e.date_precision)
      };
    });
  }

  /* ---- pieces ---- */

  function pager(total, limit, offset, go) {
    if (total <= limit) return null;
    var box = el('div', { class: 'pager' });
    if (offset > 0) add(box, el('button', { type: 'button', 'data-off': Math.max(0, offset - limit) }, '‹ Previous'));
    add(box, el('span', { class: 'muted' }, (offset + 1) + '–' + Math.min(total, offset + limit) + ' of ' + total));
    if (offset + limit < total) add(box, el('button', { type: 'button', 'data-off': offset + limit }, 'Next ›'));
    box.addEventListener('click', function (ev) {
      var off = ev.target.getAttribute && ev.target.getAttribute('data-off');
      if (off !== null && off !== undefined) go(Number(off));
    });
    return box;
  }

  function articleLine(a) {
    return el('span', { class: 'art' },
      link('#/article/' + enc(a.id), a.title || a.id),
      el('span', { class: 'meta' }, ' · ', a.outlet || 'unknown outlet', ' · ', a.published || 'undated'));
  }

  function eventItem(e, withStory) {
    var li = el('li', { class: 'tl-event', 'data-event': e.id });
    add(li, el('div', { class: 'tl-head' },
      el('time', { class: 'tl-date' }, fmtDate(e.date, e.date_precision)), ' ',
      typeBadge(e.type), ' ',
      e.place ? el('span', { class: 'place' }, e.place + approx(e)) : null, ' ',
      toll(e), ' ',
      link('#/event/' + e.id, 'details', 'small')));
    var who = [];
    if (e.actor) who.push(e.actor_id ? link('#/entity/' + e.actor_id, e.actor) : e.actor);
    if (e.target) who.push(e.target_id ? link('#/entity/' + e.target_id, e.target) : e.target);
    if (who.length) add(li, el('div', { class: 'who' }, who[0], who.length > 1 ? ' → ' : null, who[1] || null));
    if (e.best && e.best.text) {
      add(li, el('blockquote', { class: 'best' }, e.best.text,
        el('cite', null, ' — ', link('#/article/' + enc(e.best.article), e.best.outlet || e.best.article))));
    }
    if (Array.isArray(e.sources) && e.sources.length) {
      var src = el('ul', { class: 'sources' });
      e.sources.forEach(function (s) {
        add(src, el('li', null, link('#/article/' + enc(s.article), s.outlet || s.article), ' ', el('span', { class: 'meta' }, s.published || '')));
      });
      add(li, el('details', null, el('summary', null, e.sources.length + (e.sources.length === 1 ? ' source' : ' sources')), src));
    } else if (e.n_sources) {
      add(li, el('div', { class: 'meta' }, e.n_sources + (e.n_sources === 1 ? ' source' : ' sources')));
    }
    if (withStory && e.story) add(li, el('div', { class: 'meta' }, link('#/story/' + e.story, 'story ' + e.story)));
    return li;
  }

  function quoteList(quotes) {
    var ul = el('ul', { class: 'quotes' });
    quotes.forEach(function (q) {
      add(ul, el('li', null, el('q', null, q.text), ' ',
        el('span', { class: 'meta' }, '— ', q.speaker_id ? link('#/entity/' + q.speaker_id, q.speaker || 'speaker') : (q.speaker || 'unattributed'),
          q.article ? [', ', link('#/article/' + enc(q.article), q.outlet || q.article)] : null)));
    });
    return ul;
  }

  /* ---- views ---- */

  function viewStories(params) {
    var offset = Number(params.offset || 0);
    api('/api/stories' + query({ limit: PAGE, offset: offset })).then(function (r) {
      var list = el('ul', { class: 'stories' });
      r.items.forEach(function (s) {
        add(list, el('li', { class: 'story-item' },
          link('#/story/' + s.id, s.title || 'Story ' + s.id, 'story-title'),
          el('div', { class: 'meta' }, (s.first_seen || '?') + ' → ' + (s.last_seen || '?'), ' · ',
            s.articles + (s.articles === 1 ? ' article' : ' articles'), ' · ', s.outlets + (s.outlets === 1 ? ' outlet' : ' outlets'),
            s.events != null ? ' · ' + s.events + (s.events === 1 ? ' event' : ' events') : ''),
          s.lead ? el('p', { class: 'lead' }, s.lead) : null));
      });
      show('Stories', el('h1', null, 'Stories'),
        r.items.length ? list : message('No stories yet: ingest some articles.'),
        pager(r.total, r.limit, r.offset, function (o) { location.hash = '#/' + query({ offset: o }); }));
    }).catch(failed);
  }

  function viewStory(id) {
    api('/api/stories/' + enc(id)).then(function (s) {
      var parts = [el('h1', null, s.title || 'Story ' + s.id),
        el('p', { class: 'meta' }, (s.first_seen || '?') + ' → ' + (s.last_seen || '?') + ' · ' + s.n_articles + ' articles')];
      if (Array.isArray(s.summary) && s.summary.length) {
        var sum = el('ol', { class: 'summary' });
        s.summary.forEach(function (x) {
          add(sum, el('li', null, x.text, ' ', x.article ? link('#/article/' + enc(x.article), '[' + (x.outlet || x.article) + ']', 'small') : null));
        });
        parts.push(el('section', null, el('h2', null, 'Summary'), sum));
      }
      var cols = el('div', { class: 'cols' });
      if (Array.isArray(s.timeline)) {
        var tl = el('ol', { class: 'timeline', id: 'timeline' });
        s.timeline.forEach(function (e) { add(tl, eventItem(e, false)); });
        add(cols, el('section', { class: 'col-main' }, el('h2', null, 'Timeline'),
          s.timeline.length ? tl : message('No events found in this story.')));
        var mapBox = el('div', { class: 'map', id: 'map' });
        add(cols, el('section', { class: 'col-side' }, el('h2', null, 'Map'), mapBox));
        parts.push(cols);
        show(s.title, parts);
        drawMap(mapBox, eventPoints(s.timeline));
      } else {
        parts.push(el('div', { class: 'notice' }, 'Events are not extracted in this database yet: no timeline or map.'));
        show(s.title, parts);
      }
      var arts = el('ul', { class: 'articles' });
      s.articles.forEach(function (a) {
        var li = el('li', null, articleLine(a));
        var copies = Array.isArray(a.copies) ? a.copies : [];
        if (copies.length) {
          var cl = el('ul', { class: 'copies' });
          copies.forEach(function (c) {
            add(cl, el('li', null, link('#/article/' + enc(c.id), c.outlet || c.id), ' ',
              el('span', { class: 'meta' }, c.published || '', c.similarity != null ? ' · ' + Math.round(c.similarity * 100) + '% same' : '')));
          });
          add(li, el('details', { class: 'copies-box' }, el('summary', null, copies.length + (copies.length === 1 ? ' copy' : ' copies')), cl));
        }
        add(arts, li);
      });
      add(view, el('section', null, el('h2', null, 'Sources'), arts));
      if (Array.isArray(s.quotes) && s.quotes.length) add(view, el('section', null, el('h2', null, 'Quotes'), quoteList(s.quotes)));
    }).catch(failed);
  }

  var EVENT_TYPES = ['airstrike', 'shelling', 'bombing', 'armed_clash', 'raid_or_arrest', 'killing', 'protest',
    'agreement', 'meeting', 'statement', 'election', 'disaster', 'other'];

  function viewEvents(params) {
    var form = el('form', { class: 'filters', id: 'event-filters' });
    var sel = el('select', { name: 'type', 'aria-label': 'type' }, el('option', { value: '' }, 'any type'));
    EVENT_TYPES.forEach(function (t) { add(sel, el('option', { value: t, selected: params.type === t ? 'selected' : null }, t.replace(/_/g, ' '))); });
    function input(name, ph, size) { return el('input', { name: name, placeholder: ph, value: params[name] || '', size: size || 12, 'aria-label': name }); }
    add(form, sel, input('actor', 'actor'), input('place', 'place'), input('from', 'from YYYY-MM-DD', 14),
      input('to', 'to YYYY-MM-DD', 14), input('near', 'near lat,lon', 14), input('km', 'km', 5),
      el('button', { type: 'submit' }, 'Filter'));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var p = {};
      Array.prototype.forEach.call(form.elements, function (f) { if (f.name && f.value) p[f.name] = f.value.trim(); });
      location.hash = '#/events' + query(p);
    });
    var offset = Number(params.offset || 0);
    var q = {};
    ['type', 'actor', 'place', 'from', 'to', 'near', 'km', 'story'].forEach(function (k) { if (params[k]) q[k] = params[k]; });
    q.limit = PAGE; q.offset = offset;
    api('/api/events' + query(q)).then(function (r) {
      var mapBox = el('div', { class: 'map', id: 'map' });
      var list = el('ol', { class: 'timeline' });
      r.items.forEach(function (e) { add(list, eventItem(e, true)); });
      show('Events', el('h1', null, 'Events'), form, mapBox,
        el('p', { class: 'meta' }, r.total + (r.total === 1 ? ' event' : ' events')),
        r.items.length ? list : message('No event matches.'),
        pager(r.total, r.limit, r.offset, function (o) { var p = Object.assign({}, params, { offset: o }); location.hash = '#/events' + query(p); }));
      drawMap(mapBox, eventPoints(r.items));
    }).catch(function (err) { failed(err); add(view, form); });
  }

  function viewEvent(id) {
    api('/api/events/' + enc(id)).then(function (e) {
      var rows = el('dl', { class: 'facts' });
      function fact(k, v) { if (v !== null && v !== undefined && v !== '') add(rows, el('dt', null, k), el('dd', null, v)); }
      fact('Type', typeBadge(e.type));
      fact('Date', fmtDate(e.date, e.date_precision));
      fact('Place', e.place_id ? el('span', null, link('#/entity/' + e.place_id, e.place || 'place'), approx(e)) : e.place);
      fact('Actor', e.actor_id ? link('#/entity/' + e.actor_id, e.actor || 'actor') : e.actor);
      fact('Target', e.target_id ? link('#/entity/' + e.target_id, e.target || 'target') : e.target);
      fact('Killed', toll(e));
      fact('Story', e.story ? link('#/story/' + e.story, 'story ' + e.story) : null);
      var src = el('ol', { class: 'evidence' });
      (e.sources || []).forEach(function (s) {
        add(src, el('li', null, el('blockquote', null, s.sentence || ''),
          el('div', { class: 'meta' }, link('#/article/' + enc(s.article), s.title || s.article), ' · ', s.outlet || '', ' · ', s.published || '',
            s.confidence != null ? ' · confidence ' + Number(s.confidence).toFixed(2) : '')));
      });
      var mapBox = el('div', { class: 'map small-map', id: 'map' });
      show('Event ' + e.id, el('h1', null, (e.type || 'event').replace(/_/g, ' ') + (e.place ? ' in ' + e.place : '')), rows, mapBox,
        el('h2', null, 'Evidence'), src);
      drawMap(mapBox, eventPoints([e]));
    }).catch(failed);
  }

  function viewEntities(params) {
    var offset = Number(params.offset || 0);
    api('/api/entities' + query({ type: params.type, q: params.q, limit: PAGE, offset: offset })).then(function (r) {
      var tabs = el('p', { class: 'tabs' });
      ['', 'person', 'org', 'place'].forEach(function (t) {
        add(tabs, link('#/entities' + query({ type: t }), t || 'all', (params.type || '') === t ? 'on' : null), ' ');
      });
      var list = el('ul', { class: 'entities' });
      r.items.forEach(function (x) {
        add(list, el('li', null, link('#/entity/' + x.id, x.name || String(x.id)), ' ',
          el('span', { class: 'meta' }, x.type || '', x.country ? ' · ' + x.country : '', x.mentions != null ? ' · ' + x.mentions + ' mentions' : '')));
      });
      show('Entities', el('h1', null, 'Entities'), tabs, r.items.length ? list : message('No entities.'),
        pager(r.total, r.limit, r.offset, function (o) { location.hash = '#/entities' + query({ type: params.type, offset: o }); }));
    }).catch(failed);
  }

  function viewEntity(id) {
    api('/api/entities/' + enc(id)).then(function (x) {
      var parts = [el('h1', null, x.name || 'Entity ' + x.id),
        el('p', { class: 'meta' }, x.type || '', x.country ? ' · ' + x.country : '',
          x.lat != null ? ' · ' + Number(x.lat).toFixed(3) + ', ' + Number(x.lon).toFixed(3) + approx(x) +
            (x.within && approx(x) ? ', the point of ' + x.within : '') : '')];
      var al = el('ul', { class: 'aliases' });
      (x.aliases || []).forEach(function (a) { add(al, el('li', null, a.surface, el('span', { class: 'meta' }, ' ×' + a.count))); });
      parts.push(el('section', null, el('h2', null, 'Names and aliases'),
        x.aliases && x.aliases.length ? al : message('No other name recorded.')));
      var mapBox = null;
      if (Array.isArray(x.events)) {
        var tl = el('ol', { class: 'timeline' });
        x.events.forEach(function (e) { add(tl, eventItem(e, true)); });
        mapBox = el('div', { class: 'map small-map', id: 'map' });
        parts.push(el('section', null, el('h2', null, 'Events'), mapBox, x.events.length ? tl : message('No events.')));
      }
      if (Array.isArray(x.quotes) && x.quotes.length) parts.push(el('section', null, el('h2', null, 'Quotes'), quoteList(x.quotes)));
      show(x.name, parts);
      if (mapBox) {
        var pts = eventPoints(x.events);
        if (!pts.some(function (p) { return p.lat != null; }) && x.lat != null) pts = [{ lat: x.lat, lon: x.lon, label: x.name, type: 'other' }];
        drawMap(mapBox, pts);
      }
    }).catch(failed);
  }

  function viewArticles(params) {
    var offset = Number(params.offset || 0);
    api('/api/articles' + query({ outlet: params.outlet, from: params.from, to: params.to, limit: PAGE, offset: offset })).then(function (r) {
      var list = el('ul', { class: 'articles' });
      r.items.forEach(function (a) { add(list, el('li', null, articleLine(a), a.duplicate_of ? el('span', { class: 'meta' }, ' · copy of ', link('#/article/' + enc(a.duplicate_of), a.duplicate_of)) : null)); });
      show('Articles', el('h1', null, 'Articles'), el('p', { class: 'meta' }, r.total + ' articles, newest first'), list,
        pager(r.total, r.limit, r.offset, function (o) { location.hash = '#/articles' + query({ outlet: params.outlet, offset: o }); }));
    }).catch(failed);
  }

  function viewArticle(id) {
    api('/api/articles/' + enc(id)).then(function (a) {
      var url = safeUrl(a.url);
      var body = el('div', { class: 'body' });
      String(a.body || '').split(/\n\s*\n/).forEach(function (p) { if (p.trim()) add(body, el('p', null, p.trim())); });
      var meta = el('p', { class: 'meta' }, a.outlet || 'unknown outlet', ' · ', a.published || 'undated',
        a.byline ? ' · ' + a.byline : '', a.story ? [' · ', link('#/story/' + a.story, 'story ' + a.story)] : null,
        url ? [' · ', el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, 'original')] : null);
      var parts = [el('h1', null, a.title || a.id), a.subtitle ? el('p', { class: 'sub' }, a.subtitle) : null, meta];
      if (a.duplicate_of) parts.push(el('p', { class: 'notice' }, 'A copy of ', link('#/article/' + enc(a.duplicate_of), a.duplicate_of),
        a.similarity != null ? ' (' + Math.round(a.similarity * 100) + '% the same)' : ''));
      parts.push(body);
      if (a.copies && a.copies.length) {
        var cl = el('ul', { class: 'copies' });
        a.copies.forEach(function (c) { add(cl, el('li', null, link('#/article/' + enc(c.id), c.outlet || c.id), ' ', el('span', { class: 'meta' }, c.published || ''))); });
        parts.push(el('section', null, el('h2', null, 'Copies'), cl));
      }
      if (a.events && a.events.length) {
        var ev = el('ul', { class: 'events-in' });
        a.events.forEach(function (e) { add(ev, el('li', null, typeBadge(e.type), ' ', link('#/event/' + e.id, fmtDate(e.date) + (e.place ? ' · ' + e.place : '')), el('div', { class: 'meta' }, e.sentence || ''))); });
        parts.push(el('section', null, el('h2', null, 'Events reported'), ev));
      }
      if (a.quotes && a.quotes.length) parts.push(el('section', null, el('h2', null, 'Quotes'), quoteList(a.quotes)));
      show(a.title, parts);
    }).catch(failed);
  }

  function viewSearch(params) {
    var q = params.q || '';
    document.getElementById('q').value = q;
    if (!q) { show('Search', el('h1', null, 'Search'), message('Type words in the search box.')); return; }
    var offset = Number(params.offset || 0);
    api('/api/search' + query({ q: q, outlet: params.outlet, from: params.from, to: params.to, limit: PAGE, offset: offset })).then(function (r) {
      var list = el('ol', { class: 'results' });
      r.items.forEach(function (a) {
        var snip = el('p', { class: 'snippet' });
        (a.snippet || []).forEach(function (part) { add(snip, part.match ? el('mark', null, part.text) : part.text); });
        add(list, el('li', null, articleLine(a), snip));
      });
      show('Search: ' + q, el('h1', null, 'Search'), el('p', { class: 'meta' }, r.total + (r.total === 1 ? ' article' : ' articles') + ' for “', q, '”'),
        r.items.length ? list : message('Nothing found.'),
        pager(r.total, r.limit, r.offset, function (o) { location.hash = '#/search' + query({ q: q, offset: o }); }));
    }).catch(failed);
  }

  /* ---- follows (docs/follows.md) ---- */

  // POST/DELETE with a JSON body; errors come back as {error, field, status}.
  function apiSend(method, path, body) {
    return fetch(path, {
      method: method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return { error: 'bad response' }; }).then(function (b) {
        if (!r.ok) { var err = new Error(b && b.error ? b.error : 'HTTP ' + r.status); err.status = r.status; throw err; }
        return b;
      });
    });
  }

  function followFilters(f) {
    var parts = [];
    if (f.entity) parts.push('entity ' + f.entity);
    if (f.place) parts.push('place ' + f.place);
    if (typeof f.lat === 'number' && typeof f.lon === 'number') parts.push('within ' + (f.km || '?') + ' km of ' + f.lat + ',' + f.lon);
    if (f.type) parts.push(f.type.replace(/_/g, ' '));
    if (f.query) parts.push('“' + f.query + '”');
    if (f.min_killed) parts.push('at least ' + f.min_killed + ' killed');
    return parts.length ? parts.join(' · ') : 'every event';
  }

  function viewFollows() {
    api('/api/follows').then(function (r) {
      var list = el('ul', { class: 'follows' });
      r.items.forEach(function (f) {
        var rm = r.writable ? el('button', { type: 'button', class: 'small', 'data-id': f.id }, 'Remove') : null;
        if (rm) rm.addEventListener('click', function () {
          apiSend('DELETE', '/api/follows/' + f.id).then(route).catch(failed);
        });
        add(list, el('li', { class: 'follow-item' },
          el('div', null, el('strong', null, '#' + f.id + ' '), followFilters(f)),
          el('div', { class: 'meta' }, 'to ' + f.sink + (f.sink === 'feed' ? '' : ' ' + f.to) + ' · ' + f.alerts + ' alerts' +
            (f.pending ? ' · ' + f.pending + ' pending' : '') + (f.failing ? ' · ' + f.failing + ' failing' : '') + ' · ',
            link(f.feed, 'Atom feed'), rm ? ' ' : null, rm)));
      });
      var form = null;
      if (r.writable) {
        form = el('form', { class: 'filters', id: 'follow-form' });
        var sel = el('select', { name: 'type', 'aria-label': 'type' }, el('option', { value: '' }, 'any type'));
        EVENT_TYPES.forEach(function (t) { add(sel, el('option', { value: t }, t.replace(/_/g, ' '))); });
        function input(name, ph, size) { return el('input', { name: name, placeholder: ph, size: size || 12, 'aria-label': name }); }
        add(form, input('entity', 'entity'), input('place', 'place'), sel, input('query', 'words'), input('min_killed', 'min. killed', 8),
          input('to', 'feed or https:// webhook', 22), el('button', { type: 'submit' }, 'Follow'));
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          var b = {};
          Array.prototype.forEach.call(form.elements, function (x) { if (x.name && x.value.trim()) b[x.name] = x.value.trim(); });
          if (b.min_killed) b.min_killed = Number(b.min_killed);
          if (!b.to) b.to = 'feed';
          apiSend('POST', '/api/follows', b).then(route).catch(function (err) {
            var box = document.getElementById('follow-error');
            if (box) { clear(box); add(box, err.message); box.hidden = false; }
          });
        });
      }
      show('Follows', el('h1', null, 'Follows'),
        el('p', { class: 'meta' }, 'A follow delivers an alert when an event that matches it is new or materially updated (a new source, a higher toll, a date fixed).'),
        form || el('div', { class: 'notice' }, 'This server is read-only: start it with --allow-ingest to add or remove follows here, or use `tidings follow add`.'),
        el('div', { class: 'error', id: 'follow-error', hidden: 'hidden' }),
        r.items.length ? list : message('No follows yet.'));
    }).catch(failed);
  }

  /* ---- router ---- */

  function parseHash() {
    var h = location.hash.replace(/^#/, '') || '/';
    var qi = h.indexOf('?');
    var path = qi < 0 ? h : h.slice(0, qi), params = {};
    if (qi >= 0) {
      h.slice(qi + 1).split('&').forEach(function (kv) {
        if (!kv) return;
        var i = kv.indexOf('=');
        try {
          params[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] = i < 0 ? '' : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, ' '));
        } catch (e) { /* a malformed escape: ignore that pair */ }
      });
    }
    return { parts: path.split('/').filter(Boolean).map(function (p) { try { return decodeURIComponent(p); } catch (e) { return p; } }), params: params };
  }

  function route() {
    var r = parseHash(), p = r.parts;
    window.scrollTo(0, 0);
    if (!p.length) viewStories(r.params);
    else if (p[0] === 'story' && p[1]) viewStory(p[1]);
    else if (p[0] === 'events') viewEvents(r.params);
    else if (p[0] === 'event' && p[1]) viewEvent(p[1]);
    else if (p[0] === 'entities') viewEntities(r.params);
    else if (p[0] === 'entity' && p[1]) viewEntity(p[1]);
    else if (p[0] === 'articles') viewArticles(r.params);
    else if (p[0] === 'article' && p[1]) viewArticle(p[1]);
    else if (p[0] === 'search') viewSearch(r.params);
    else if (p[0] === 'follows') viewFollows();
    else show('Not found', el('div', { class: 'error' }, 'No such page.'));
  }

  document.getElementById('search').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = document.getElementById('q').value.trim();
    if (q) location.hash = '#/search' + query({ q: q });
  });

  api('/api/stats').then(function (s) {
    clear(statsBox);
    add(statsBox, s.articles + ' articles · ' + s.outlets + ' outlets · ' + (s.stories != null ? s.stories + ' stories · ' : '') +
      (s.events != null ? s.events + ' events · ' : '') + (s.first_published || '?') + ' to ' + (s.last_published || '?'));
  }).catch(function () { /* the views show their own errors */ });

  window.addEventListener('hashchange', route);
  route();
})();
