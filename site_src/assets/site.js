/* Sort and filter for tables wrapped in <div class="sortable-table">; the drawings many pages share put in
   place from their one file (and, in a preview of site_src/, every drawing). No dependencies, nothing from
   another origin. Without JavaScript the tables are plain and complete, and each shared drawing shows as an
   image; this only adds a filter box, sortable headers and the drawings inline. */
(function () {
  "use strict";

  function cellKey(cell) {
    var marked = cell.querySelector("[data-sort]");
    var raw = marked ? marked.getAttribute("data-sort") : cell.textContent.trim();
    var number = parseFloat(raw);
    return { text: raw.toLowerCase(), number: raw !== "" && isFinite(number) && String(raw).match(/^[-+0-9.e]+$/i) ? number : null };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null) { return a.number - b.number; }
    if (a.number !== null) { return -1; }
    if (b.number !== null) { return 1; }
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    var body = table.tBodies[0];
    if (!body) { return; }
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(cellKey(r1.cells[index]), cellKey(r2.cells[index]));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function makeFilterable(wrapper, table, number) {
    var label = wrapper.getAttribute("data-filter-label") || "Filter the table";
    var box = document.createElement("div");
    box.className = "table-filter";
    var id = "table-filter-" + number;
    var labelElement = document.createElement("label");
    labelElement.setAttribute("for", id);
    labelElement.textContent = label + ": ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("autocomplete", "off");
    var status = document.createElement("span");
    status.className = "table-filter-count";
    status.setAttribute("role", "status");
    box.appendChild(labelElement);
    box.appendChild(input);
    box.appendChild(status);
    wrapper.insertBefore(box, wrapper.firstChild);
    var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
    });
  }

  function enhance() {
    var wrappers = document.querySelectorAll(".sortable-table");
    wrappers.forEach(function (wrapper, number) {
      if (wrapper.getAttribute("data-enhanced")) { return; }
      var table = wrapper.querySelector("table");
      if (!table) { return; }
      wrapper.setAttribute("data-enhanced", "true");
      makeFilterable(wrapper, table, number);
      makeSortable(table);
    });
  }

  // Each drawing that many pages share (a declared chart redrawn on a fact, derived, entity or metric page)
  // is published once, as assets/drawings/<sha256>.svg: the built page holds an empty <svg data-aif-drawing
  // data-aif-src> of the drawing's size (generator/pipeline/drawings.py, defer), filled here from that file,
  // so the drawing is inline again (the page's font and dark colours). A page shown as site_src/ (`serve`:
  // nothing spliced the drawings back) has such an empty <svg> for every drawing, without data-aif-src: its
  // drawing sits beside this script.
  var here = document.currentScript && document.currentScript.src;
  var STANDALONE = '<svg xmlns="http://www.w3.org/2000/svg" ';
  function drawLifted() {
    if (!window.fetch) { return; }
    document.querySelectorAll("svg[data-aif-drawing]").forEach(function (slot) {
      var digest = slot.getAttribute("data-aif-drawing");
      if (!/^[0-9a-f]{64}$/.test(digest)) { return; }
      var src = slot.getAttribute("data-aif-src");
      var url;
      if (src !== null) {
        // Only the published file of this very drawing, on this site.
        if (!/^(\.\.\/)*assets\/drawings\/[0-9a-f]{64}\.svg$/.test(src) || src.slice(-68, -4) !== digest) { return; }
        url = new URL(src, location.href).href;
      } else if (here) {
        url = new URL("generated/drawings/" + digest + ".svg", here).href;
      } else {
        return;
      }
      fetch(url)
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (text) {
          if (text.indexOf(STANDALONE) === 0) { text = "<svg " + text.slice(STANDALONE.length); }
          // Only a drawing as the build writes it (generator/outputs/figures.py inline_svg).
          if (slot.parentNode && text.indexOf('<svg aria-hidden="true" focusable="false" ') === 0) {
            var fallback = slot.nextElementSibling;
            slot.outerHTML = text;
            if (fallback && fallback.tagName === "NOSCRIPT") { fallback.remove(); }
          }
        })
        .catch(function () {});
    });
  }

  function enhanceAll() {
    drawLifted();
    enhance();
  }

  // Material's instant navigation (if turned on) swaps pages without a load event; document$ tells us.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhanceAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
