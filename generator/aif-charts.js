/* Static first, interactive later. Every .aif-chart element already holds the chart as inline SVG
   (the build's own render, one wide and one compact layout, chosen by a CSS container query), so nothing
   here is needed to see it. This script:
   - applies ?theme=light|dark|auto to an embed page (before first paint: it is loaded in <head>);
   - loads Vega (about 900 kB) only when the reader hovers, focuses or taps a chart, or, where the page asks
     for it with data-aif-load="idle", once the browser is idle, and swaps the static SVG for the same spec
     drawn by Vega (same size, so nothing moves) with tooltips;
   - in an embed, tells the parent page the height it needs, after the chart is drawn, never before.
   No inline script anywhere, so a strict CSP holds. */
(function () {
  "use strict";
  var TYPE = "%(type)s";
  var COMPACT_BELOW = %(compact_below)d;
  var script = document.currentScript;
  var bundle = script && script.getAttribute("data-aif-bundle");
  var theme = (window.location.search.match(/[?&]theme=(light|dark|auto)\b/) || [])[1];
  if (theme && document.documentElement) { document.documentElement.setAttribute("data-aif-theme", theme); }

  var loading = null;
  function loadVega() {
    if (window.vegaEmbed && window.vegaExpressionInterpreter) { return Promise.resolve(); }
    if (!bundle) { return Promise.reject(new Error("no bundle")); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = bundle;
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function visibleVariant(el) {
    var all = el.querySelectorAll(".aif-variant");
    for (var i = 0; i < all.length; i += 1) {
      if (all[i].offsetParent !== null || all[i].getClientRects().length) { return all[i]; }
    }
    return all[0];
  }

  function upgrade(el) {
    var variant = visibleVariant(el);
    if (!variant || variant.getAttribute("data-aif-live")) { return Promise.resolve(); }
    variant.setAttribute("data-aif-live", "pending");
    return loadVega()
      .then(function () { return fetch(variant.getAttribute("data-aif-spec")); })
      .then(function (response) { return response.json(); })
      .then(function (spec) {
        var target = document.createElement("div");
        return window.vegaEmbed(target, spec, {
          actions: false, renderer: "svg", mode: "vega-lite",
          ast: true, expr: window.vegaExpressionInterpreter
        }).then(function () {
          var svg = target.querySelector("svg");
          if (!svg) { throw new Error("nothing drawn"); }
          svg.setAttribute("preserveAspectRatio", "xMidYMin meet");
          svg.setAttribute("aria-hidden", "true");
          variant.replaceChildren(target);
          variant.setAttribute("data-aif-live", "true");
          postHeight();
        });
      })
      .catch(function () {
        // The static SVG stays: it is the same chart, only without tooltips.
        variant.setAttribute("data-aif-live", "failed");
      });
  }

  function needed() {
    // The height the embed needs at its present width: the chart's own ratio, plus everything else.
    var chart = document.querySelector(".aif-chart");
    var variant = chart && visibleVariant(chart);
    var svg = variant && variant.querySelector("svg");
    var page = document.documentElement.getBoundingClientRect().height;
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) { return Math.ceil(page); }
    var box = svg.getBoundingClientRect();
    var ratio = svg.viewBox.baseVal.height / svg.viewBox.baseVal.width;
    // The SVG box fills what the page leaves it; the chart inside needs its width times its ratio.
    return Math.ceil(window.innerHeight - box.height + box.width * ratio);
  }

  var drawn = false;
  function postHeight() {
    var id = document.body && document.body.getAttribute("data-aif-embed");
    if (!drawn || !id || window.parent === window) { return; }
    // The height is no secret, so any embedding page may read it; the parent checks our origin.
    window.parent.postMessage({ type: TYPE, id: id, height: needed() }, "*");
  }

  function start() {
    var charts = document.querySelectorAll(".aif-chart");
    Array.prototype.forEach.call(charts, function (el) {
      var go = function () { upgrade(el); };
      ["pointerenter", "focusin", "touchstart"].forEach(function (name) {
        el.addEventListener(name, go, { once: true, passive: true });
      });
      if (el.getAttribute("data-aif-load") === "idle") {
        var idle = window.requestIdleCallback || function (fn) { return window.setTimeout(fn, 1500); };
        idle(go, { timeout: 5000 });
      }
    });
    window.addEventListener("resize", function () {
      Array.prototype.forEach.call(charts, function (el) {
        var any = el.querySelector("[data-aif-live='true']");
        if (any) { upgrade(el); }  // the other layout, once the reader has asked for the live chart
      });
      postHeight();
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
  // The static chart is drawn once the page has loaded; only then is its height worth telling.
  function loaded() { drawn = true; postHeight(); }
  if (document.readyState === "complete") { loaded(); } else { window.addEventListener("load", loaded); }
})();
