/* specsite: filter and sort the tables of index pages. No dependencies. */
(function () {
  "use strict";

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) return x - y;
    return a.localeCompare(b);
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "Sort by this column";
      var ascending = true;
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(cellText(r1, index), cellText(r2, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        ascending = !ascending;
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter") sort();
      });
    });
  }

  function setUp(marker) {
    if (marker.dataset.ready) return;
    marker.dataset.ready = "1";
    var article = marker.closest("article") || document.body;
    var tables = article.querySelectorAll("table");
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows (all words must match)";
    input.className = "specsite-filter-input";
    input.setAttribute("aria-label", "Filter rows");
    var count = document.createElement("span");
    count.className = "specsite-filter-count";
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
      count.textContent = words.length ? shown + " of " + total + " rows" : "";
    }
    input.addEventListener("input", apply);
    var query = new URLSearchParams(window.location.search).get("filter");
    if (query) { input.value = query; apply(); }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".specsite-filter"), setUp);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
