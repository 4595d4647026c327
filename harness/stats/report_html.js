/* report_html.js - what report.html does: tables sorted by any column, the
 * task x provider matrix with its filters, and one sample at a time. No
 * framework and nothing fetched. Every string that came from the run is set
 * as text (textContent, title), never parsed as HTML; links go only to
 * files under logs/. When it is done and painted it sets data-ready on
 * <html>, which the tests and `make bench` wait for. */
(function () {
	'use strict';
	var t0 = performance.now();
	var D = JSON.parse(document.getElementById('tb-data').textContent);
	var STATUS = ['passed', 'failed', 'error', 'not attempted'];
	var STATUS_CLASS = ['pass', 'fail', 'error', 'na'];
	var NT = D.tasks.length, NP = D.providers.length;

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined && text !== null) e.textContent = String(text);
		return e;
	}
	function add(parent, child) { parent.appendChild(child); return child; }
	function word(i) { return i >= 0 ? D.words[i] : null; }
	function money(v) {
		if (v === null || v === undefined) return '—';
		return v !== 0 && Math.abs(v) < 0.01 ? '$' + v.toFixed(6) : '$' + v.toFixed(4);
	}
	function ms(v) {
		if (v === null || v === undefined) return '—';
		return v >= 10000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms';
	}

	/* ---- sortable tables: a click on a column's head sorts by its data-v
	 * (numbers; empty ones last either way) or its text */
	function cellKey(td) {
		var v = td.getAttribute('data-v');
		if (v === null) return td.textContent.toLowerCase();
		return v === '' ? null : parseFloat(v);
	}
	function sortBy(table, col, th) {
		var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
		th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
		var body = table.tBodies[0];
		var rows = Array.prototype.slice.call(body.rows);
		rows.sort(function (a, b) {
			var x = cellKey(a.cells[col]), y = cellKey(b.cells[col]);
			if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
			return x < y ? -dir : x > y ? dir : 0;
		});
		rows.forEach(function (r) { body.appendChild(r); });
	}
	Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
			th.tabIndex = 0;
			th.addEventListener('click', function () { sortBy(table, col, th); });
			th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sortBy(table, col, th); });
		});
	});

	/* ---- the matrix: per cell, the counts of each status and its rows. The
	 * rows come in the matrix's order, D.cells counting each cell's; a row
	 * is [sample, status, reason, cost, latency, input, cached, written,
	 * output, reasoning, attempts, cost source] */
	var cells = new Array(NT * NP), cellOf = new Int32Array(D.rows.length), row = 0;
	for (var at = 0; at < NT * NP; at++) {
		var n = D.cells[at];
		if (!n) continue;
		var c = cells[at] = { n: [0, 0, 0, 0], rows: [] };
		for (var j = 0; j < n; j++, row++) {
			c.n[D.rows[row][1]]++;
			c.rows.push(row);
			cellOf[row] = at;
		}
	}
	function cellClass(c) {
		if (!c) return 'none';
		var scored = c.n[0] + c.n[1];
		if (scored) return c.n[0] === scored ? 'pass' : c.n[0] === 0 ? 'fail' : 'mixed';
		return c.n[2] ? 'error' : 'na';
	}
	function cellText(c) {
		if (!c) return '';
		var scored = c.n[0] + c.n[1];
		if (scored) return c.n[0] + '/' + scored;
		return c.n[2] ? 'error' : '—';
	}
	/* one provider passed most of its scored samples and another failed most */
	var disagree = new Array(NT), hasStatus = new Array(NT);
	for (var t = 0; t < NT; t++) {
		var seen = 0, st = 0;
		for (var p = 0; p < NP; p++) {
			var c = cells[t * NP + p];
			if (!c) continue;
			for (var k = 0; k < 4; k++) if (c.n[k]) st |= 1 << k;
			var scored = c.n[0] + c.n[1];
			if (scored) seen |= c.n[0] * 2 > scored ? 1 : c.n[0] * 2 < scored ? 2 : 0;
		}
		disagree[t] = seen === 3;
		hasStatus[t] = st;
	}

	/* the matrix shows PAGE tasks at a time (of those the filters keep): a
	 * large run's 10,000 cells would cost the page its opening time */
	var PAGE = 100, page = 0, shown = [];
	var mx = document.getElementById('mx');
	var head = add(add(mx, el('thead')), el('tr'));
	add(head, el('th', null, 'task'));
	D.providers.forEach(function (name) { add(head, el('th', null, name)); });
	var body = add(mx, el('tbody'));
	var trs = new Array(NT);
	function rowOf(t) {
		if (trs[t]) return trs[t];
		var tr = el('tr');
		var tt = add(tr, el('td', 't', D.tasks[t]));
		var cl = D.task_cluster[t] >= 0 ? D.clusters[D.task_cluster[t]] : null;
		tt.title = D.tasks[t] + ' · suite ' + D.suites[D.task_suite[t]] + (cl ? ' · cluster ' + cl : '');
		for (var p = 0; p < NP; p++) {
			var c = cells[t * NP + p];
			var td = add(tr, el('td', 'c ' + cellClass(c), cellText(c)));
			td.setAttribute('data-t', t);
			td.setAttribute('data-p', p);
			if (c) td.tabIndex = 0;
		}
		return (trs[t] = tr);
	}

	function options(id, names) {
		var sel = document.getElementById(id);
		names.forEach(function (n, i) { var o = add(sel, el('option', null, n)); o.value = i; });
		return sel;
	}
	var fSuite = options('f-suite', D.suites), fCluster = options('f-cluster', D.clusters);
	var fStatus = document.getElementById('f-status'), fDis = document.getElementById('f-disagree');
	var fCount = document.getElementById('f-count');
	var prev = document.getElementById('mx-prev'), next = document.getElementById('mx-next');
	function render() {
		var frag = document.createDocumentFragment(), end = Math.min(shown.length, (page + 1) * PAGE);
		for (var i = page * PAGE; i < end; i++) frag.appendChild(rowOf(shown[i]));
		body.textContent = '';
		body.appendChild(frag);
		fCount.textContent = shown.length + ' of ' + NT + ' tasks' + (shown.length > PAGE ?
			', ' + (page * PAGE + 1) + '–' + end + ' shown' : '');
		mx.setAttribute('data-shown', String(shown.length));
		prev.hidden = next.hidden = shown.length <= PAGE;
		prev.disabled = page === 0;
		next.disabled = end >= shown.length;
	}
	function filter() {
		var s = fSuite.value, cl = fCluster.value, st = fStatus.value, dis = fDis.checked;
		shown = [];
		for (var t = 0; t < NT; t++)
			if ((s === '' || D.task_suite[t] === +s) && (cl === '' || D.task_cluster[t] === +cl) &&
			    (st === '' || (hasStatus[t] & (1 << +st)) !== 0) && (!dis || disagree[t]))
				shown.push(t);
		page = 0;
		render();
	}
	[fSuite, fCluster, fStatus, fDis].forEach(function (f) { f.addEventListener('change', filter); });
	prev.addEventListener('click', function () { page--; render(); });
	next.addEventListener('click', function () { page++; render(); });
	filter();

	/* ---- one sample at a time */
	var sv = document.getElementById('sv'), section = document.getElementById('sample'), current = null;

	/* a text of the sample: inline, or its first lines and a link to the file */
	function text(parent, title, v, diff) {
		if (v === undefined || v === null) return;
		add(parent, el('h3', null, title));
		var content = typeof v === 'string' ? v : v.head;
		var pre = add(parent, el('pre', 'text' + (diff ? ' diff' : '')));
		if (diff) {
			content.split('\n').forEach(function (line) {
				var cls = /^(\+\+\+|---|diff |index )/.test(line) ? 'meta' : line[0] === '+' ? 'add' :
					line[0] === '-' ? 'del' : line.slice(0, 2) === '@@' ? 'hunk' : null;
				add(pre, cls ? el('span', cls, line) : document.createTextNode(line + '\n'));
			});
		} else {
			pre.textContent = content;
		}
		if (typeof v === 'string') return;
		var p = add(parent, el('p', 'note'));
		var kb = (v.bytes / 1024).toFixed(1) + ' KB';
		if (v.href && /^logs\/[A-Za-z0-9._\/-]+$/.test(v.href)) {
			p.appendChild(document.createTextNode('Above, its first lines. The whole ' + title + ' (' + kb +
				', too long for the page): '));
			var a = add(p, el('a', null, v.href));
			a.href = v.href;
		} else {
			p.textContent = 'Above, its first lines; the whole ' + title + ' (' + kb + ') is not in this page: ' +
				'`tokenbench report DIR --write` keeps it under logs/.';
		}
	}

	function facts(parent, r, x, p) {
		var dl = add(parent, el('dl', 'facts'));
		function fact(k, v) { if (v === null || v === undefined || v === '') return; add(dl, el('dt', null, k)); add(dl, el('dd', null, v)); }
		fact('model', D.models[p]);
		fact('tokens', 'in ' + r[5] + ' · cached ' + r[6] + ' · written ' + r[7] + ' · out ' + r[8] +
			(r[9] ? ' (reasoning ' + r[9] + ')' : ''));
		var src = word(r[11]);
		fact('cost', r[3] === null ? null : money(r[3]) + (src ? ' (' + src + (src === 'estimate' ?
			': no usage block came back, tokens counted from the text' : '') + ')' : ''));
		fact('latency', r[4] === null ? null : ms(r[4]) + (x && x.ttft_ms !== undefined ? ' · first token ' + ms(x.ttft_ms) : ''));
		fact('attempts', r[10] > 1 ? r[10] + ' (retried)' : r[10]);
		if (x) {
			fact('time in the sandbox', x.test_ms !== undefined ? ms(x.test_ms) : null);
			fact('edit format', x.edit_format);
			fact('well-formed edit', x.well_formed === undefined ? null : x.well_formed ? 'yes' : 'no');
			fact('cache saved', x.cache_saving_usd !== undefined ? money(x.cache_saving_usd) : null);
			fact('repriced from', x.repriced_from_usd !== undefined ? money(x.repriced_from_usd) : null);
			if (x.agent) fact('agent', x.agent.turns + ' turns, ended: ' + x.agent.end + (x.agent.ms !== null ? ', its time ' + ms(x.agent.ms) : ''));
			if (x.flags) fact('notes', x.flags.join('; '));
		}
	}

	function tries(parent, list) {
		add(parent, el('h3', null, 'Tries'));
		var table = add(parent, el('table', 'tries'));
		var h = add(add(table, el('thead')), el('tr'));
		['try', 'status', 'why', 'input', 'cached', 'written', 'output', 'reasoning', 'cost', 'latency'].forEach(function (n) { add(h, el('th', null, n)); });
		var b = add(table, el('tbody'));
		list.forEach(function (q) {
			var tr = add(b, el('tr'));
			[q[0], STATUS[q[1]] || '?', word(q[2]) || '', q[3], q[4], q[5], q[6], q[7], money(q[8]), ms(q[9])].forEach(function (v) { add(tr, el('td', null, v)); });
		});
	}

	function show(i) {
		var r = D.rows[i], x = D.samples[i] || null, t = Math.floor(cellOf[i] / NP), p = cellOf[i] % NP;
		var c = cells[t * NP + p];
		if (current) current.classList.remove('on');
		current = rowOf(t).cells[p + 1];
		current.classList.add('on');
		sv.textContent = '';
		add(sv, el('h3', null, D.tasks[t] + ' · ' + D.providers[p] + ' · sample ' + r[0]));
		var list = add(sv, el('div', 'samples'));
		c.rows.forEach(function (j) {
			var q = D.rows[j];
			var b = add(list, el('button', STATUS_CLASS[q[1]] + (j === i ? ' cur' : ''), 'sample ' + q[0] + ': ' + STATUS[q[1]]));
			b.type = 'button';
			b.addEventListener('click', function () { show(j); });
		});
		var verdict = add(sv, el('p', 'verdict'));
		add(verdict, el('span', 'badge ' + STATUS_CLASS[r[1]], STATUS[r[1]]));
		if (word(r[2])) add(verdict, el('b', null, word(r[2])));
		if (x && x.detail) verdict.appendChild(document.createTextNode(': ' + x.detail));
		facts(sv, r, x, p);
		if (x && x.tries) tries(sv, x.tries);
		var prompt = D.prompts[t];
		if (prompt !== null) {
			var det = add(sv, el('details'));
			add(det, el('summary', null, 'The prompt'));
			add(det, el('pre', 'text', prompt));
		}
		if (x) {
			text(sv, 'trajectory', x.trajectory);
			text(sv, 'answer', x.answer);
			text(sv, 'code', x.code);
			text(sv, 'patch', x.patch, true);
			text(sv, 'test output', x.output);
		}
		if (!x || (x.answer === undefined && x.trajectory === undefined))
			add(sv, el('p', 'note', r[1] === 3 ? 'Not attempted: there is no answer.' :
				'The answer is not in this page: the run directory does not hold it (no response cache, ' +
				'or records another tool wrote).'));
		section.hidden = false;
		if (location.hash !== '#s-' + i) history.replaceState(null, '', '#s-' + i);
	}

	function open(td) {
		var c = cells[+td.getAttribute('data-t') * NP + +td.getAttribute('data-p')];
		if (!c) return;
		/* the cell's verdict first: a failed sample in a failed cell */
		var want = { pass: 0, fail: 1, mixed: 1, error: 2, na: 3 }[cellClass(c)], pick = c.rows[0];
		for (var j = 0; j < c.rows.length; j++) if (D.rows[c.rows[j]][1] === want) { pick = c.rows[j]; break; }
		show(pick);
		section.scrollIntoView();
	}
	mx.addEventListener('click', function (e) {
		var td = e.target.closest('td.c');
		if (td) open(td);
	});
	mx.addEventListener('keydown', function (e) {
		if (e.key === 'Enter' && e.target.matches('td.c')) open(e.target);
	});
	var m = /^#s-(\d+)$/.exec(location.hash);
	if (m && +m[1] < D.rows.length) show(+m[1]);

	/* ready once the first paint after all this is done: data-ready is the
	 * milliseconds since the page was asked for, data-init the script's own */
	var init = Math.round(performance.now() - t0);
	requestAnimationFrame(function () {
		setTimeout(function () {
			document.documentElement.setAttribute('data-init', String(init));
			document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())));
		}, 0);
	});
})();
