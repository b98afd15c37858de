/* specsite: the explorer views (one filtered, faceted, sortable view over every row of the
 * catalog and of each index) and sortable static tables. Plain JS, no dependencies.
 *
 * Data comes from the JSON shards written by src/specsite/explorer.py, named in the
 * mount point's data-config; every value from a spec is inserted with textContent. */
(function () {
  "use strict";

  var LIMIT = 200; // rows rendered at once; "Show more" adds as many again
  var WINDOW = 3; // shards (of 250 specs) in flight at once
  var UPDATE_EVERY = 300; // ms between two updates of a view while its shards come in
  var cache = {}; // shard URL -> Promise of its JSON, kept across instant navigation

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many || one + "s");
  }

  function isEmpty(value) {
    return value === null || value === undefined || value === "";
  }

  // Numbers compare as numbers, text in natural order; empty values always sort last.
  function compareValues(a, b, dir) {
    var emptyA = isEmpty(a), emptyB = isEmpty(b);
    if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
    var order;
    if (typeof a === "number" && typeof b === "number") order = a - b;
    else order = String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
    return dir * order;
  }

  function sortButton(th, label, onSort) {
    var button = el("button", { type: "button", className: "specsite-sort" });
    while (th.firstChild) button.appendChild(th.firstChild);
    if (label) button.textContent = label;
    button.appendChild(el("span", { className: "specsite-arrow", "aria-hidden": "true" }));
    button.addEventListener("click", onSort); // a <button> also fires click on Enter and Space
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    return button;
  }

  function showSort(headers, active, dir) {
    headers.forEach(function (th, index) {
      var state = index === active ? (dir > 0 ? "ascending" : "descending") : "none";
      th.setAttribute("aria-sort", state);
      var arrow = th.querySelector(".specsite-arrow");
      if (arrow) arrow.textContent = state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕";
    });
  }

  // ------------------------------------------------- sortable static tables

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    if (cell.dataset.sort !== undefined && cell.textContent.trim() !== "") {
      return parseFloat(cell.dataset.sort);
    }
    var text = cell.textContent.trim();
    var number = Number(text);
    return text !== "" && !isNaN(number) ? number : text;
  }

  function makeSortable(table) {
    if (table.dataset.sortable || !table.tHead || !table.tHead.rows.length) return;
    table.dataset.sortable = "1";
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var state = { column: -1, dir: 1 };
    headers.forEach(function (th, index) {
      sortButton(th, null, function () {
        state.dir = state.column === index ? -state.dir : 1;
        state.column = index;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          return compareValues(cellValue(r1, index), cellValue(r2, index), state.dir);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        showSort(headers, state.column, state.dir);
      });
    });
    showSort(headers, -1, 1);
  }

  // Row filter of pages without an explorer view (conformance).
  function setUpFilter(marker) {
    if (marker.dataset.ready) return;
    marker.dataset.ready = "1";
    var article = marker.closest("article") || document.body;
    var tables = article.querySelectorAll("table");
    var input = el("input", {
      type: "search", className: "specsite-filter-input",
      placeholder: "Filter the rows of this page (all words must match)",
      "aria-label": "Filter the rows of this page"
    });
    var count = el("span", { className: "specsite-filter-count", "aria-live": "polite" });
    marker.appendChild(input);
    marker.appendChild(count);
    Array.prototype.forEach.call(tables, makeSortable);
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, total = 0;
      Array.prototype.forEach.call(tables, function (table) {
        Array.prototype.forEach.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
          var text = row.textContent.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.hidden = !match;
          total += 1;
          if (match) shown += 1;
        });
      });
      count.textContent = words.length ? shown + " of " + plural(total, "row") : "";
    }
    input.addEventListener("input", apply);
    var query = new URLSearchParams(window.location.search).get("filter");
    if (query) { input.value = query; apply(); }
  }

  // ---------------------------------------------------------- explorer data

  function load(url) {
    if (!cache[url]) {
      // Low priority: a search typed while a view loads its shards goes first.
      cache[url] = fetch(url, { credentials: "same-origin", priority: "low" }).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  // A spec record, by the positions of explorer.py's SPEC_FIELDS.
  function specOf(record, statuses) {
    var status = record[2];
    var rank = statuses.order.indexOf(status);
    return {
      title: record[0], url: record[1], status: status, owner: record[3], date: record[4],
      modules: record[5], tags: record[6], counts: record[7], firsts: record[8],
      problems: record[9], updated: record[10] || "", prompt: record[11] || "unknown",
      changed: record[12] || "", recommendation: record[13] || "",
      refs: record[14] || [], components: record[15] || [],
      rank: status === "" ? "" : rank === -1 ? statuses.order.length : rank,
      hidden: statuses.hidden.indexOf(status) !== -1
    };
  }

  // ------------------------------------------------------------- the view

  var FACETS = [
    { key: "kind", label: "Kind" },
    { key: "status", label: "Status" },
    { key: "owner", label: "Owner" },
    { key: "module", label: "Module" },
    { key: "tag", label: "Tag" },
    { key: "prompt", label: "Prompt" },
    { key: "state", label: "Open/resolved" }
  ];

  // Severity sorts by weight, not alphabetically; an item without one sorts last.
  var SEVERITY = { critical: 1, blocker: 1, high: 2, medium: 3, moderate: 3, low: 4 };
  function severityRank(text) {
    var word = (text || "").toLowerCase().split(/[^a-z]+/).filter(Boolean)[0] || "";
    return SEVERITY[word] || (text ? 5 : "");
  }

  // Filters that only come from a link (the dashboard's charts, the impact page): the day a
  // spec last changed (ISO days compare as text) and a cited reference. Shown as chips.
  var RANGES = [
    { key: "since", label: "changed on or after", test: function (spec, v) { return spec.changed !== "" && spec.changed >= v; } },
    { key: "until", label: "changed on or before", test: function (spec, v) { return spec.changed !== "" && spec.changed <= v; } },
    { key: "ref", label: "cites", test: function (spec, v) { return spec.refs.indexOf(v) !== -1; } },
    { key: "component", label: "adds or changes", test: function (spec, v) { return spec.components.indexOf(v) !== -1; } }
  ];

  function Explorer(mount, config) {
    this.mount = mount;
    this.config = config;
    this.isIndex = config.view === "index";
    this.root = config.root;
    this.rows = [];
    this.loaded = 0;
    this.updatedAt = 0;
    this.parts = config.specs ? config.specs.length : 1;
    this.limit = LIMIT;
    this.resolvable = this.isIndex && config.kinds.some(function (k) { return k.resolvable; });
    this.columns = this.makeColumns();
    this.facets = FACETS.filter(function (facet) {
      if (facet.key === "kind") return config.kinds.length > 1;
      return facet.key !== "state" || (this.isIndex && this.resolvable);
    }, this);
    this.state = this.readState();
    this.build();
  }

  Explorer.prototype.href = function (url, anchor) {
    return this.root + url + (anchor ? "#" + anchor : "");
  };

  Explorer.prototype.makeColumns = function () {
    var self = this, kinds = this.config.kinds;
    var spec = {
      key: "spec", label: "Spec",
      value: function (r) { return r.spec.title; },
      cell: function (td, r) {
        td.appendChild(el("a", { href: self.href(r.spec.url) }, r.spec.title));
        if (!self.isIndex && r.spec.recommendation) {
          td.appendChild(el("div", { className: "specsite-rec" }, r.spec.recommendation));
        }
      }
    };
    var status = {
      key: "status", label: "Status",
      value: function (r) { return r.spec.rank; },
      text: function (r) { return r.spec.status; }
    };
    var owner = { key: "owner", label: "Owner", minor: true, value: function (r) { return r.spec.owner; } };
    if (!this.isIndex) {
      var columns = [spec, status, owner,
        { key: "date", label: "Date", minor: true, value: function (r) { return r.spec.date; } },
        { key: "updated", label: "Updated", minor: true, value: function (r) { return r.spec.updated; } }];
      kinds.forEach(function (kind, k) {
        columns.push({
          key: "count-" + kind.key, label: kind.short, numeric: true,
          title: kind.title + (kind.resolvable ? " (open)" : ""),
          value: function (r) { return r.spec.counts[k]; },
          cell: function (td, r) {
            var count = r.spec.counts[k];
            if (count) td.appendChild(el("a", { href: self.href(r.spec.url, r.spec.firsts[k]) }, count));
            else td.textContent = "0";
          }
        });
      });
      columns.push({ key: "problems", label: "Problems", numeric: true, value: function (r) { return r.spec.problems; } });
      return columns;
    }
    var result = [spec, status, owner,
      { key: "kind", label: "Kind", value: function (r) { return kinds[r.kind].title; } },
      {
        key: "item", label: "Item", wide: true,
        value: function (r) { return r.text; },
        cell: function (td, r) { td.appendChild(el("a", { href: self.href(r.spec.url, r.id) }, r.text)); }
      }];
    (this.config.fields || []).forEach(function (name, f) {
      result.push({
        key: name, label: name.charAt(0).toUpperCase() + name.slice(1), minor: name !== "severity",
        wide: name === "mitigation",
        value: name === "severity" ? function (r) { return severityRank(r.fields[f]); }
          : function (r) { return r.fields[f]; },
        text: function (r) { return r.fields[f]; }
      });
    });
    if (this.resolvable) {
      result.push({
        key: "state", label: "Open/resolved",
        value: function (r) { return r.resolved === null ? "" : r.resolved ? "resolved" : "open"; }
      });
    }
    return result;
  };

  // ---- state <-> URL

  Explorer.prototype.readState = function () {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("filter") || "", facets: {}, all: params.get("all") === "1",
                  sort: params.get("sort") || "", dir: params.get("dir") === "desc" ? -1 : 1,
                  ranges: {} };
    RANGES.forEach(function (range) {
      var value = params.get(range.key);
      if (value) state.ranges[range.key] = value;
    });
    this.facets.forEach(function (facet) {
      var value = params.get(facet.key);
      if (value) state.facets[facet.key] = value;
    });
    if (!this.columns.some(function (c) { return c.key === state.sort; })) state.sort = "";
    return state;
  };

  Explorer.prototype.query = function () {
    var params = new URLSearchParams();
    var state = this.state;
    // not "q": Material opens its search box for ?q=
    if (state.q.trim()) params.set("filter", state.q.trim());
    this.facets.forEach(function (facet) {
      if (state.facets[facet.key]) params.set(facet.key, state.facets[facet.key]);
    });
    RANGES.forEach(function (range) {
      if (state.ranges[range.key]) params.set(range.key, state.ranges[range.key]);
    });
    if (state.all) params.set("all", "1");
    if (state.sort) {
      params.set("sort", state.sort);
      if (state.dir < 0) params.set("dir", "desc");
    }
    var text = params.toString();
    return text ? "?" + text : "";
  };

  Explorer.prototype.writeState = function () {
    var query = this.query();
    if (query !== window.location.search) {
      history.replaceState(history.state, "", window.location.pathname + query + window.location.hash);
    }
    // page links of the static fallback carry the same view
    var article = this.mount.closest("article") || document;
    Array.prototype.forEach.call(article.querySelectorAll(".specsite-pager a"), function (a) {
      a.setAttribute("href", a.getAttribute("href").split("?")[0] + query);
    });
  };

  // ---- controls

  Explorer.prototype.build = function () {
    var self = this;
    var mount = this.mount;
    mount.textContent = "";
    var controls = el("div", { className: "specsite-controls", role: "search" });
    this.input = el("input", {
      type: "search", className: "specsite-filter-input",
      placeholder: this.isIndex ? "Filter by spec title or item text" : "Filter by spec title",
      "aria-label": this.isIndex ? "Filter rows by spec title or item text" : "Filter specs by title"
    });
    this.input.value = this.state.q;
    this.input.addEventListener("input", function () {
      self.state.q = self.input.value;
      self.limit = LIMIT;
      self.update();
    });
    controls.appendChild(this.input);
    this.selects = {};
    this.facets.forEach(function (facet) {
      var select = el("select", { className: "specsite-facet", "aria-label": facet.label, "data-facet": facet.key });
      select.addEventListener("change", function () {
        if (select.value) self.state.facets[facet.key] = select.value;
        else delete self.state.facets[facet.key];
        self.limit = LIMIT;
        self.update();
      });
      self.selects[facet.key] = select;
      controls.appendChild(select);
    });
    var hiddenNames = this.config.statuses.hidden.join(" and ");
    if (hiddenNames) {
      var label = el("label", { className: "specsite-toggle" });
      this.toggle = el("input", { type: "checkbox", name: "all" });
      this.toggle.checked = this.state.all;
      this.toggle.addEventListener("change", function () {
        self.state.all = self.toggle.checked;
        self.limit = LIMIT;
        self.update();
      });
      label.appendChild(this.toggle);
      label.appendChild(document.createTextNode(" Show " + hiddenNames + " specs"));
      this.toggleCount = el("span", { className: "specsite-toggle-count" });
      label.appendChild(this.toggleCount);
      controls.appendChild(label);
    }
    mount.appendChild(controls);
    this.chips = el("p", { className: "specsite-chips" });
    mount.appendChild(this.chips);

    var bar = el("div", { className: "specsite-bar" });
    this.summary = el("p", { className: "specsite-summary", "aria-live": "polite" }, "Loading every row…");
    this.download = el("button", { type: "button", className: "md-button specsite-csv" }, "Download CSV");
    this.download.disabled = true;
    this.download.addEventListener("click", function () { self.csv(); });
    var reset = el("button", { type: "button", className: "specsite-reset" }, "Clear filters");
    reset.addEventListener("click", function () {
      self.state.q = "";
      self.state.facets = {};
      self.state.ranges = {};
      self.input.value = "";
      self.limit = LIMIT;
      self.update();
    });
    bar.appendChild(this.summary);
    bar.appendChild(reset);
    bar.appendChild(this.download);
    mount.appendChild(bar);

    var wrap = el("div", { className: "specsite-scroll" });
    this.table = el("table", { className: "specsite-table specsite-view" + (this.isIndex ? "" : " specsite-catalog") });
    var head = el("thead"), headRow = el("tr");
    this.headers = this.columns.map(function (column) {
      var th = el("th", { scope: "col", className: column.minor ? "specsite-minor" : "" });
      if (column.title) th.title = column.title;
      sortButton(th, column.label, function () {
        if (self.state.sort === column.key) self.state.dir = -self.state.dir;
        else { self.state.sort = column.key; self.state.dir = 1; }
        self.update();
      });
      headRow.appendChild(th);
      return th;
    });
    head.appendChild(headRow);
    this.table.appendChild(head);
    this.body = el("tbody");
    this.table.appendChild(this.body);
    wrap.appendChild(this.table);
    mount.appendChild(wrap);
    this.empty = el("p", { className: "specsite-empty", hidden: "" }, "No rows match.");
    mount.appendChild(this.empty);
    this.more = el("button", { type: "button", className: "specsite-more", hidden: "" });
    this.more.addEventListener("click", function () { self.limit += LIMIT; self.render(); });
    mount.appendChild(this.more);
  };

  // ---- loading: shards in parallel, added in order, shown as they come

  // Shards are fetched a few at a time, in order, and added as they come: the first rows
  // show after the first shards, and what is in flight never grows with the collection.
  // The page names only the manifest (explorer/manifest.json, revalidated on each load),
  // never the shards themselves: an edit to one spec changes a shard's name and the
  // manifest, not every page that shows a view.
  Explorer.prototype.start = function () {
    var self = this, config = this.config;
    if (config.specs) return this.loadShards();
    fetch(this.root + config.manifest, { credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + config.manifest);
        return response.json();
      })
      .then(function (manifest) {
        config.specs = manifest.specs;
        if (self.isIndex) config.rows = manifest.rows[config.index];
        self.parts = config.specs.length;
        self.loadShards();
      })
      .catch(function (error) { self.failed(error); });
  };

  Explorer.prototype.failed = function (error) {
    this.summary.textContent = "The explorer could not load its data (" + error.message +
      "); the tables below list every row, page by page.";
    this.revealStatic();
  };

  Explorer.prototype.loadShards = function () {
    var self = this, config = this.config, count = config.specs.length;
    var pending = [], started = 0;
    function launch() {
      while (started < count && started < self.loaded + WINDOW) {
        var parts = [load(self.root + config.specs[started])];
        if (self.isIndex) parts.push(load(self.root + config.rows[started]));
        var shard = Promise.all(parts);
        shard.catch(function () {}); // reported once, by the chain below
        pending.push(shard);
        started += 1;
      }
    }
    function next(n) {
      if (n >= count) return Promise.resolve();
      return pending[n].then(function (data) {
        self.add(data[0], data[1]);
        self.loaded += 1;
        launch();
        if (self.loaded === 1) {
          self.reveal();
          self.update(); // the first rows, at once
        } else {
          self.schedule(); // later shards: see schedule
        }
        return next(n + 1);
      });
    }
    launch();
    next(0).catch(function (error) { self.failed(error); });
  };

  Explorer.prototype.add = function (specData, rowData) {
    var statuses = this.config.statuses;
    var specs = specData.specs.map(function (record) { return specOf(record, statuses); });
    if (!this.isIndex) {
      specs.forEach(function (spec) { this.rows.push(this.prepare({ spec: spec })); }, this);
      return;
    }
    rowData.rows.forEach(function (r) {
      this.rows.push(this.prepare({ spec: specs[r[0]], kind: r[1], id: r[2], text: r[3], resolved: r[4] === null ? null : !!r[4], fields: r.slice(5) }));
    }, this);
  };

  // Precompute what filtering needs: free text covers the title and the item text only.
  Explorer.prototype.prepare = function (row) {
    var kinds = this.config.kinds, spec = row.spec;
    row.search = (spec.title + " " + (row.text || "")).toLowerCase();
    row.values = {
      status: [spec.status || "(none)"],
      owner: [spec.owner || "(none)"],
      module: spec.modules.length ? spec.modules : ["(none)"],
      tag: spec.tags.length ? spec.tags : ["(none)"],
      prompt: [spec.prompt]
    };
    if (this.isIndex) {
      row.values.kind = [kinds[row.kind].title];
      row.values.state = row.resolved === null ? [] : [row.resolved ? "resolved" : "open"];
    } else {
      row.values.kind = kinds.filter(function (k, i) { return spec.counts[i] > 0; })
        .map(function (k) { return k.title; });
    }
    return row;
  };

  Explorer.prototype.reveal = function () {
    this.download.disabled = false;
  };

  Explorer.prototype.revealStatic = function () {
    revealStatic(this.mount);
    this.writeState();
  };

  // ---- filter, facet counts, sort

  Explorer.prototype.compute = function () {
    var state = this.state, facets = this.facets;
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var counts = {}, matched = [], total = 0, hiddenCount = 0;
    facets.forEach(function (f) { counts[f.key] = {}; });
    this.rows.forEach(function (row) {
      if (!words.every(function (w) { return row.search.indexOf(w) !== -1; })) return;
      if (!RANGES.every(function (r) { return !state.ranges[r.key] || r.test(row.spec, state.ranges[r.key]); })) return;
      var failed = [];
      facets.forEach(function (f) {
        var wanted = state.facets[f.key];
        if (wanted && row.values[f.key].indexOf(wanted) === -1) failed.push(f.key);
      });
      if (row.spec.hidden && !state.all) {
        if (!failed.length) hiddenCount += 1;
        return;
      }
      facets.forEach(function (f) {
        if (failed.length === 0 || (failed.length === 1 && failed[0] === f.key)) {
          row.values[f.key].forEach(function (v) { counts[f.key][v] = (counts[f.key][v] || 0) + 1; });
        }
      });
      if (!failed.length) matched.push(row);
    });
    this.rows.forEach(function (row) { if (state.all || !row.spec.hidden) total += 1; });
    var column = null;
    this.columns.forEach(function (c) { if (c.key === state.sort) column = c; });
    if (column) {
      var dir = state.dir;
      matched = matched.map(function (row, i) { return { row: row, i: i, v: column.value(row) }; });
      matched.sort(function (a, b) { return compareValues(a.v, b.v, dir) || a.i - b.i; });
      matched = matched.map(function (m) { return m.row; });
    }
    return { matched: matched, counts: counts, total: total, hiddenCount: hiddenCount };
  };

  // Later shards update the view at most every UPDATE_EVERY ms (each update filters and
  // sorts every row loaded so far), the last one at once; and not while the search is
  // open over the page: a search typed while the view loads gets the main thread.
  Explorer.prototype.schedule = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    var wait = this.loaded >= this.parts ? 0 : this.updatedAt + UPDATE_EVERY - Date.now();
    function run() {
      if (searchOpen()) {
        setTimeout(run, UPDATE_EVERY);
        return;
      }
      window.requestAnimationFrame(function () {
        self.pending = false;
        self.update();
      });
    }
    setTimeout(run, Math.max(0, wait));
  };

  function searchOpen() {
    var toggle = document.getElementById("__search"); // Material's search overlay
    return !!(toggle && toggle.checked);
  }

  Explorer.prototype.update = function () {
    this.updatedAt = Date.now();
    this.result = this.compute();
    this.writeState();
    this.render();
  };

  Explorer.prototype.noun = function (count) {
    return this.isIndex ? plural(count, "row") : plural(count, "spec");
  };

  Explorer.prototype.render = function () {
    var self = this, result = this.result, state = this.state;
    var loading = this.loaded < this.parts;
    var hiddenNames = this.config.statuses.hidden.join(" and ");
    var text = "Showing " + result.matched.length + " of " + this.noun(result.total);
    if (hiddenNames) {
      text += state.all ? ", including " + hiddenNames + " specs"
        : ", " + hiddenNames + " specs hidden";
    }
    if (loading) text += " (loading " + this.loaded + " of " + this.parts + " parts…)";
    this.summary.textContent = text + ".";
    if (this.toggleCount) {
      this.toggleCount.textContent = state.all ? "" : " (" + this.noun(result.hiddenCount) + " more)";
    }
    this.facets.forEach(function (facet) { self.fillFacet(facet, result.counts[facet.key]); });
    this.renderChips();
    var sortIndex = -1;
    this.columns.forEach(function (c, i) { if (c.key === state.sort) sortIndex = i; });
    showSort(this.headers, sortIndex, state.dir);

    var fragment = document.createDocumentFragment();
    result.matched.slice(0, this.limit).forEach(function (row) {
      var tr = el("tr");
      self.columns.forEach(function (column) {
        var td = el("td", { "data-label": column.label });
        if (column.minor) td.className = "specsite-minor";
        if (column.wide) td.className = "specsite-wide";
        if (column.cell) column.cell(td, row);
        else td.textContent = column.text ? column.text(row) : column.value(row);
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    this.body.textContent = "";
    this.body.appendChild(fragment);
    mark(this, "firstRows", result.matched.length > 0 || !loading, "specsite:first-rows");
    mark(this, "allRows", !loading, "specsite:all-rows");
    this.empty.hidden = result.matched.length > 0 || loading;
    var rest = result.matched.length - this.limit;
    this.more.hidden = rest <= 0;
    this.more.textContent = "Show " + Math.min(rest, LIMIT) + " more (" + rest + " not shown)";
    this.download.textContent = "Download CSV (" + this.noun(result.matched.length) + ")";
    this.download.disabled = loading;
  };

  Explorer.prototype.renderChips = function () {
    var self = this;
    this.chips.textContent = "";
    RANGES.forEach(function (range) {
      var value = self.state.ranges[range.key];
      if (!value) return;
      var chip = el("button", { type: "button", className: "specsite-chip",
        "aria-label": "Remove the filter: " + range.label + " " + value }, range.label + " " + value + " ✕");
      chip.addEventListener("click", function () {
        delete self.state.ranges[range.key];
        self.limit = LIMIT;
        self.update();
      });
      self.chips.appendChild(chip);
    });
    this.chips.hidden = !this.chips.firstChild;
  };

  // Performance marks for scripts/measure_explorer.py (once per view).
  function mark(view, flag, now, name) {
    if (!now || view[flag] || !window.performance || !performance.mark) return;
    view[flag] = true;
    performance.mark(name);
  }

  Explorer.prototype.fillFacet = function (facet, counts) {
    var select = this.selects[facet.key];
    var chosen = this.state.facets[facet.key] || "";
    var values = Object.keys(counts);
    if (chosen && values.indexOf(chosen) === -1) values.push(chosen);
    var order = this.config.statuses.order;
    values.sort(function (a, b) {
      if (facet.key === "status") {
        var ra = order.indexOf(a), rb = order.indexOf(b);
        ra = a === "(none)" ? 1e9 : ra === -1 ? order.length : ra;
        rb = b === "(none)" ? 1e9 : rb === -1 ? order.length : rb;
        if (ra !== rb) return ra - rb;
      }
      return a.localeCompare(b, undefined, { numeric: true });
    });
    select.textContent = "";
    select.appendChild(el("option", { value: "" }, facet.label + ": any"));
    values.forEach(function (value) {
      var option = el("option", { value: value }, facet.label + ": " + value + " (" + (counts[value] || 0) + ")");
      select.appendChild(option);
    });
    select.value = chosen;
  };

  // ---- CSV of exactly the rows of the view, in its order

  function csvField(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // never a formula in a spreadsheet
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  Explorer.prototype.csv = function () {
    var self = this, kinds = this.config.kinds;
    var absolute = function (url, anchor) { return new URL(self.href(url, anchor), window.location.href).href; };
    var header, line;
    if (this.isIndex) {
      header = ["spec", "status", "owner", "modules", "tags", "kind", "item", "url"];
      if (this.resolvable) header.push("resolved");
      line = function (r) {
        var cells = [r.spec.title, r.spec.status, r.spec.owner, r.spec.modules.join("; "),
          r.spec.tags.join("; "), kinds[r.kind].title, r.text, absolute(r.spec.url, r.id)];
        if (self.resolvable) cells.push(r.resolved === null ? "" : r.resolved ? "yes" : "no");
        return cells;
      };
    } else {
      header = ["spec", "status", "owner", "date", "updated", "modules", "tags", "prompt"]
        .concat(kinds.map(function (k) { return k.title + (k.resolvable ? " (open)" : ""); }))
        .concat(["problems", "url"]);
      line = function (r) {
        return [r.spec.title, r.spec.status, r.spec.owner, r.spec.date, r.spec.updated,
          r.spec.modules.join("; "), r.spec.tags.join("; "), r.spec.prompt].concat(r.spec.counts).concat([r.spec.problems, absolute(r.spec.url)]);
      };
    }
    var lines = [header].concat(this.result.matched.map(line)).map(function (cells) {
      return cells.map(csvField).join(",");
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = el("a", { href: URL.createObjectURL(blob), download: (this.config.index || "specs") + ".csv" });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  };

  // The static tables sit in <noscript> (no parsing or layout when the view runs); if the
  // view cannot run (no data on file://, an old browser), show them after all. The markup
  // is the site's own, escaped at build time; DOMParser runs no scripts.
  function revealStatic(mount) {
    var article = mount.closest("article") || document;
    Array.prototype.forEach.call(article.querySelectorAll("noscript.specsite-static"), function (node) {
      var block = el("div", { className: "specsite-static" });
      // parsed as elements when Material's instant navigation brought the page in
      var source = node.children.length ? node
        : new DOMParser().parseFromString(node.textContent, "text/html").body;
      Array.prototype.slice.call(source.childNodes).forEach(function (child) {
        block.appendChild(document.importNode(child, true));
      });
      node.parentNode.replaceChild(block, node);
      Array.prototype.forEach.call(block.querySelectorAll("table.specsite-table"), makeSortable);
    });
  }

  // ------------------------------------------------------------------ start

  function setUpExplorer(mount) {
    if (mount.dataset.ready) return;
    mount.dataset.ready = "1";
    var config;
    try {
      config = JSON.parse(mount.getAttribute("data-config"));
    } catch (error) {
      revealStatic(mount);
      return;
    }
    if (!window.fetch || !window.URLSearchParams || !window.DOMParser) {
      revealStatic(mount);
      return;
    }
    var view = new Explorer(mount, config);
    view.start();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".specsite-explorer"), setUpExplorer);
    Array.prototype.forEach.call(document.querySelectorAll(".specsite-filter"), setUpFilter);
    Array.prototype.forEach.call(
      document.querySelectorAll("article table.specsite-table:not(.specsite-view)"), makeSortable);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
