window.addEventListener("message", function (e) {
  if (e.origin !== "%(origin)s" || !e.data || e.data.type !== "%(type)s") return;
  document.querySelectorAll("iframe[data-aif-chart]").forEach(function (f) {
    var h = Math.ceil(Number(e.data.height));
    if (f.contentWindow === e.source && h > f.offsetHeight + 1 && h < 5000) f.style.minHeight = h + "px";
  });
});
