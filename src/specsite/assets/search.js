/* specsite search: the header box, answered by the Pagefind index the build writes.
 *
 * Pagefind's script is loaded from the site itself, on first use (focus, typing,
 * "/" or "s"), relative to the page's base URL so the site works under a sub-path.
 * Spec text is untrusted: results are built with textContent only; Pagefind's
 * excerpts carry <mark> tags, which are split out and rebuilt as elements.
 */
(function () {
  "use strict";

  var FACETS = [
    ["kind", "Kind"],
    ["status", "Status"],
    ["state", "Open/resolved"],
    ["module", "Module"],
    ["tag", "Tag"],
    ["owner", "Owner"],
  ];
  var SHOWN = 10;
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", apos: "'" };
  var loading = null;
  var chosen = {};
  var serial = 0;

  function siteRoot() {
    var base = ".";
    var config = document.getElementById("__config");
    if (config) {
      try {
        base = JSON.parse(config.textContent).base || ".";
      } catch (error) {
        base = ".";
      }
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function pagefind() {
    if (!loading) {
      var url = new URL("pagefind/pagefind.js", siteRoot()).href;
      loading = import(url).then(function (module) {
        return Promise.resolve(module.options({ excerptLength: 24 })).then(function () {
          return Promise.resolve(module.init()).then(function () {
            return module;
          });
        });
      });
      loading.catch(function () {
        loading = null;
      });
    }
    return loading;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is escaped text with <mark> around hits: keep the words, rebuild the marks. */
  function excerpt(html) {
    var out = element("p", "specsite-search-excerpt");
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var text = part.replace(/&(amp|lt|gt|quot|#39|#x27|apos);/g, function (all, name) {
        return ENTITIES[name];
      });
      if (text) out.appendChild(marked ? element("mark", "", text) : document.createTextNode(text));
      return marked;
    }, false);
    return out;
  }

  function closeSearch() {
    var toggle = document.getElementById("__search");
    if (toggle) toggle.checked = false;
  }

  function hit(data) {
    var meta = data.meta || {};
    var item = element("li", "md-search-result__item specsite-search-hit");
    var link = element("a", "md-search-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    link.addEventListener("click", closeSearch);
    var article = element("article", "md-search-result__article md-typeset");
    var head = element("div", "specsite-search-head");
    head.appendChild(element("span", "specsite-search-kind", meta.kind || "Page"));
    if (meta.status) head.appendChild(element("span", "specsite-search-status", meta.status));
    article.appendChild(head);
    article.appendChild(element("h1", "specsite-search-title", meta.title || data.url));
    if (meta.label) article.appendChild(element("p", "specsite-search-label", meta.label));
    if (data.excerpt) article.appendChild(excerpt(data.excerpt));
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function activeFilters() {
    var filters = {};
    Object.keys(chosen).forEach(function (key) {
      if (chosen[key]) filters[key] = chosen[key];
    });
    return filters;
  }

  // The facets' data (Pagefind's filter files) grows with the collection, so it is
  // fetched when the reader asks to narrow the results, not for every query.
  var facetsWanted = false;

  function offerFacets(root, box) {
    if (box.querySelector(".specsite-search-narrow")) return;
    box.textContent = "";
    var button = element("button", "specsite-search-narrow", "Narrow by kind, status, owner…");
    button.type = "button";
    button.addEventListener("click", function () {
      facetsWanted = true;
      button.disabled = true;
      button.textContent = "Loading filters…";
      run(root);
    });
    box.appendChild(button);
    box.hidden = false;
  }

  function drawFacets(box, all, current) {
    box.textContent = "";
    FACETS.forEach(function (pair) {
      var key = pair[0];
      var values = all[key] || {};
      var names = Object.keys(values).sort();
      if (!names.length) return;
      var label = element("label", "specsite-search-facet");
      label.appendChild(element("span", "", pair[1]));
      var select = element("select", "");
      select.name = key;
      var any = element("option", "", "any");
      any.value = "";
      select.appendChild(any);
      names.forEach(function (name) {
        var count = current && current[key] ? current[key][name] || 0 : values[name];
        var option = element("option", "", name + " (" + count + ")");
        option.value = name;
        option.selected = chosen[key] === name;
        option.disabled = count === 0 && !option.selected;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        chosen[key] = select.value;
        run(box.closest(".specsite-search"));
      });
      label.appendChild(select);
      box.appendChild(label);
    });
    box.hidden = !box.childNodes.length;
  }

  function run(root) {
    var input = root.querySelector(".specsite-search-input");
    var list = root.querySelector(".specsite-search-results");
    var meta = root.querySelector(".specsite-search-meta");
    var facets = root.querySelector(".specsite-search-facets");
    var term = input.value.trim();
    var mine = ++serial;
    var filters = activeFilters();
    if (!term && !Object.keys(filters).length) {
      list.textContent = "";
      list.dataset.term = "";
      meta.textContent = "Type to search all specs";
      return;
    }
    meta.textContent = "Searching…";
    pagefind()
      .then(function (engine) {
        var options = Object.keys(filters).length ? { filters: filters } : {};
        return engine.search(term || null, options).then(function (found) {
          if (mine !== serial) return null;
          var results = found.results.slice(0, SHOWN);
          var total = found.results.length;
          list.textContent = "";
          list.dataset.term = term; // what the list answers; "done" once every row is in
          list.dataset.done = "";
          meta.textContent = total === 0 ? "No matching results"
            : total === 1 ? "1 matching result"
            : total + " matching results" + (total > SHOWN ? ", showing " + SHOWN : "");
          // Each result's fragment is fetched at once; they are shown in rank order as they come.
          var pending = results.map(function (r) { return r.data(); });
          return pending.reduce(function (shown, next) {
            return shown.then(function () {
              return next.then(function (row) {
                if (mine === serial) list.appendChild(hit(row));
              });
            });
          }, Promise.resolve()).then(function () {
            if (mine !== serial) return;
            list.dataset.done = "1";
            if (!facetsWanted) return offerFacets(root, facets);
            return engine.filters().then(function (all) {
              if (mine === serial) drawFacets(facets, all, found.filters);
            });
          });
        });
      })
      .catch(function (error) {
        if (mine === serial) meta.textContent = "Search is unavailable: " + error.message;
      });
  }

  var FROM_DISK = "Search needs the site served over HTTP: a page opened from disk " +
    "cannot load the search index. Browse the catalog and the indexes, or serve the " +
    "folder (python3 -m http.server).";

  function setup(root) {
    var input = root.querySelector(".specsite-search-input");
    var toggle = document.getElementById("__search");
    var timer = null;
    if (window.location.protocol === "file:") {
      // Browsers refuse module loads from file://: say so instead of failing silently.
      input.placeholder = "Search needs HTTP";
      root.querySelector(".specsite-search-meta").textContent = FROM_DISK;
      input.addEventListener("focus", function () { if (toggle) toggle.checked = true; });
      return;
    }
    input.addEventListener("focus", function () {
      if (toggle) toggle.checked = true;
      pagefind().catch(function () {});
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(root); }, 80);
    });
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var first = root.querySelector(".specsite-search-hit a");
      if (first) first.click();
    });
    root.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(root.querySelectorAll(".specsite-search-hit a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        closeSearch();
        input.blur();
      } else if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) input.focus();
        else links[at - 1].focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" && event.key !== "s") return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      if (toggle) toggle.checked = true;
      input.focus();
      input.select();
    });
  }

  function start() {
    var root = document.querySelector(".specsite-search");
    if (root && !root.dataset.ready) {
      root.dataset.ready = "1";
      setup(root);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
