/// The console page, embedded in the binary: no external requests. It renders the snapshot it is served with,
/// then follows `/console/events` (server-sent events, one snapshot a second). A series is chosen with
/// `?model=NAME&series=KEY` (or by clicking an incident's series); only then does the scorer keep its points.
enum ConsolePage {
    static func html(snapshot: String, query: String) -> String {
        // A snapshot is JSON; inside a script element only "</" could end it early.
        let embedded = snapshot.replacingOccurrences(of: "</", with: "<\\/")
        return head + "<script id='initial' type='application/json'>\(embedded)</script>"
            + "<script>const QUERY = \(jsString(query));</script>" + script + "</body></html>"
    }

    static func jsString(_ s: String) -> String {
        "\"" + s.unicodeScalars.map { c -> String in
            switch c {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "<": return "\\u003c"
            default: return c.value < 0x20 ? String(format: "\\u%04x", c.value) : String(c)
            }
        }.joined() + "\""
    }

    static let head = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forewarn scorer</title>
        <style>
        body{font:14px system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:80em}
        h1{font-size:1.3em;margin:0 0 .3em}h2{font-size:1.05em;margin:1.4em 0 .4em}
        table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:.2em .6em;text-align:left;font-variant-numeric:tabular-nums}
        th{background:#f4f6f8}.ok{color:#1e7e34}.bad{color:#c0392b;font-weight:600}.muted{color:#666}
        .figures span{display:inline-block;margin-right:2em}.figures b{font-size:1.2em}
        a.series{color:#1f5fa8;cursor:pointer;text-decoration:underline}form{margin:.5em 0}
        </style></head><body>
        <h1>Forewarn scorer <span id="ready"></span></h1>
        <div class="figures"><span>events in <b id="rate">-</b>/s</span><span>predictions <b id="prate">-</b>/s</span>
        <span>anomalies <b id="anomalies">-</b></span><span>consumer lag <b id="lag">-</b></span>
        <span class="muted" id="updated"></span></div>
        <h2>Models served</h2><table id="models"><tr><th>model</th><th>version</th></tr></table>
        <div id="changes" class="muted"></div>
        <h2>Latest incidents</h2><p class="muted">The first flagged event of each incident, newest first; click a series to follow it.</p>
        <table id="incidents"><tr><th>time (UTC)</th><th>model</th><th>series</th><th>field</th><th>actual</th>
        <th>expected</th><th>band</th><th>deviation (σ)</th><th>drivers</th></tr></table>
        <h2 id="series-title">A series, live</h2>
        <form id="pick"><label>model <select id="model"></select></label> <label>series <input id="series" size="16"></label>
        <button>follow</button></form><div id="chart" class="muted">Choose a model and a series to follow its values, forecast band and flags.</div>

        """

    static let script = """
        <script>
        const $ = id => document.getElementById(id);
        const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
        const num = v => v === null || v === undefined ? '-' : (Math.abs(v) >= 1e4 ? v.toPrecision(4) : +v.toPrecision(4));
        const time = ms => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
        const params = new URLSearchParams(QUERY);
        let last = null;
        function render(s) {
          $('ready').innerHTML = s.ready ? '<span class="ok">ready</span>' : '<span class="bad">not ready</span> <span class="muted">' + esc(s.not_ready.join('; ')) + '</span>';
          if (last && s.now > last.now) {
            const dt = (s.now - last.now) / 1000;
            $('rate').textContent = Math.round((s.events_in - last.events_in) / dt);
            $('prate').textContent = Math.round((s.predictions_out - last.predictions_out) / dt);
          }
          $('anomalies').textContent = s.anomalies; $('lag').textContent = s.lag;
          $('updated').textContent = 'as of ' + time(s.now) + ' UTC';
          $('models').innerHTML = '<tr><th>model</th><th>version</th></tr>' + s.models.map(m => '<tr><td>' + esc(m.name) + '</td><td>' + m.version + '</td></tr>').join('');
          $('changes').innerHTML = s.changes.length ? 'Version changes: ' + s.changes.map(c => esc(c.model) + ' ' + (c.from === null ? 'started on v' + c.to : 'v' + c.from + ' → v' + c.to) + ' at ' + time(c.at)).join('; ') : '';
          const sel = $('model'), chosen = params.get('model') || (s.models[0] || {}).name;
          if (sel.options.length !== s.models.length) sel.innerHTML = s.models.map(m => '<option' + (m.name === chosen ? ' selected' : '') + '>' + esc(m.name) + '</option>').join('');
          $('incidents').innerHTML = $('incidents').rows[0].outerHTML + s.incidents.map(i =>
            '<tr class="incident"><td>' + time(i.ts) + '</td><td>' + esc(i.model) + ' v' + i.version + '</td><td><a class="series" data-model="' + esc(i.model) + '" data-series="' + esc(i.series) + '">' + esc(i.series) + '</a></td><td>' + esc(i.field || '-') +
            '</td><td>' + num(i.actual) + '</td><td>' + num(i.expected) + '</td><td>' + (i.lower === null ? '-' : num(i.lower) + ' – ' + num(i.upper)) + '</td><td>' + (i.sigmas === null ? '-' : (i.sigmas > 0 ? '+' : '') + num(i.sigmas)) + '</td><td>' + esc(i.drivers.replace(/;/g, ', ') || '-') + '</td></tr>').join('');
          if (s.watch) chart(s.watch);
        }
        function chart(w) {
          $('series-title').textContent = w.series + ' (' + w.model + (w.field ? ', ' + w.field : '') + '), live';
          const p = w.points.filter(q => q[1] !== null);
          if (p.length < 2) { $('chart').textContent = 'Waiting for events of ' + w.series + '...'; return; }
          const W = 900, H = 260, L = 60, R = 30, T = 10, B = 36;
          const t0 = p[0][0], t1 = p[p.length - 1][0];
          // The scale follows the normal values and the band; a flagged value beyond it sits on the edge, labelled.
          let vals = p.filter(q => !q[5]).flatMap(q => [q[1], q[3], q[4]]).filter(v => v !== null);
          if (vals.length === 0) vals = p.map(q => q[1]);
          let lo = Math.min(...vals), hi = Math.max(...vals); if (hi <= lo) { hi = lo + 1; }
          const pad = (hi - lo) * 0.08; lo -= pad; hi += pad;
          const x = t => L + (t - t0) / Math.max(1, t1 - t0) * (W - L - R), y = v => H - B - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo) * (H - T - B);
          const band = p.filter(q => q[3] !== null && q[4] !== null);
          let svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + W + '" height="' + H + '" font-size="11">';
          if (band.length > 1) svg += '<polygon class="band" fill="#cfe0f3" points="' + band.map(q => x(q[0]) + ',' + y(q[4])).concat(band.slice().reverse().map(q => x(q[0]) + ',' + y(q[3]))).join(' ') + '"/>';
          const line = (k, color) => '<polyline fill="none" stroke="' + color + '" points="' + p.filter(q => q[k] !== null).map(q => x(q[0]) + ',' + y(q[k])).join(' ') + '"/>';
          if (band.length > 1) svg += line(2, '#4a7ab5');
          svg += line(1, '#222');
          p.filter(q => q[5]).forEach(q => {
            svg += '<circle class="flag" r="4" fill="#c0392b" cx="' + x(q[0]) + '" cy="' + y(q[1]) + '"><title>' + time(q[0]) + ': ' + num(q[1]) + '</title></circle>';
            if (q[1] > hi || q[1] < lo) svg += '<text fill="#c0392b" x="' + (x(q[0]) + 6) + '" y="' + (y(q[1]) + (q[1] > hi ? 12 : -4)) + '">' + num(q[1]) + (q[1] > hi ? ' ↑' : ' ↓') + '</text>';
          });
          for (let k = 0; k <= 4; k++) { const v = lo + (hi - lo) * k / 4; svg += '<text x="' + (L - 6) + '" y="' + (y(v) + 4) + '" text-anchor="end">' + num(v) + '</text><line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v) + '" y2="' + y(v) + '" stroke="#eee"/>'; }
          for (let k = 0; k <= 5; k++) { const t = t0 + (t1 - t0) * k / 5; svg += '<text x="' + x(t) + '" y="' + (H - B + 16) + '" text-anchor="middle">' + time(t).slice(11) + '</text>'; }
          svg += '<text x="' + ((L + W) / 2) + '" y="' + (H - 4) + '" text-anchor="middle">time (UTC)</text></svg>';
          $('chart').innerHTML = svg + '<p class="muted">black: actual; blue: forecast; shaded: its band; red dots: flagged (' + p.filter(q => q[5]).length + ')</p>';
        }
        function follow(model, series) {
          const q = new URLSearchParams({model: model, series: series});
          history.replaceState(null, '', '?' + q); params.set('model', model); params.set('series', series); connect();
        }
        let source = null;
        function connect() {
          if (source) source.close();
          const q = params.get('model') && params.get('series') ? '?' + new URLSearchParams({model: params.get('model'), series: params.get('series')}) : '';
          source = new EventSource('/console/events' + q);
          source.onmessage = e => { const s = JSON.parse(e.data); render(s); last = s; };
        }
        document.addEventListener('click', e => { const a = e.target.closest('a.series'); if (a) follow(a.dataset.model, a.dataset.series); });
        $('pick').addEventListener('submit', e => { e.preventDefault(); follow($('model').value, $('series').value); });
        if (params.get('series')) $('series').value = params.get('series');
        last = JSON.parse($('initial').textContent); render(last); connect();
        </script>
        """
}
