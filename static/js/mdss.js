/* The pages' behaviour, from data attributes: no page carries inline JavaScript, so
   the Content-Security-Policy forbids it (script-src 'self'). */
(function () {
  "use strict";

  // <select data-autosubmit>: choosing a value submits its form.
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });

  // <form data-confirm="Revoke this token?">: ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });

  // <a data-history-back>: the browser's back.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-history-back]");
    if (link) { event.preventDefault(); window.history.back(); }
  });

  // The global search in the top bar: "/" focuses it (unless the user is typing in a
  // field), Escape closes its dropdown, a click elsewhere hides it.
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function searchDropdown() { return document.querySelector("[data-search-dropdown]"); }
  document.addEventListener("keydown", function (event) {
    var box = document.querySelector("[data-search-input]");
    if (!box) return;
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "Escape" && event.target === box) {
      var dropdown = searchDropdown();
      if (dropdown) dropdown.innerHTML = "";
      box.blur();
    }
  });
  document.addEventListener("click", function (event) {
    var dropdown = searchDropdown();
    if (dropdown && !event.target.closest(".top-search")) dropdown.innerHTML = "";
  });

  // Open the tab named in the address (#visits), so links from other pages land on it.
  function showTabFromHash() {
    var hash = window.location.hash;
    if (!hash || !window.bootstrap) return;
    var button = document.querySelector('[data-bs-target="' + CSS.escape(hash) + '"]');
    if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
  }

  // Tabs of a [data-tabs-in-url] list write their name in the address (#payments), so
  // reloading the page or sharing the link opens the same tab.
  document.addEventListener("shown.bs.tab", function (event) {
    if (!event.target.closest("[data-tabs-in-url]")) return;
    var target = event.target.getAttribute("data-bs-target");
    if (target && target.charAt(0) === "#" && window.history.replaceState) {
      window.history.replaceState(null, "", target);
    }
  });

  // <div data-chart="id-of-a-json_script">: an ECharts chart with the option built on
  // the server (mdss.core.charts).
  function drawCharts() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      if (!source) return;
      var chart = window.echarts.init(box);
      var option = JSON.parse(source.textContent);
      // data-map="<url of a GeoJSON>": a map chart, drawn once its map is registered.
      var map = box.getAttribute("data-map");
      if (map && !window.echarts.getMap("china")) {
        chart.showLoading();
        fetch(map, { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (geo) {
            window.echarts.registerMap("china", geo);
            chart.hideLoading();
            chart.setOption(option);
          });
      } else {
        chart.setOption(option);
      }
      // A data item with a url (a heat map's cell) opens it when clicked.
      chart.on("click", function (item) {
        if (item.data && item.data.url) window.location.href = item.data.url;
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // A link to another tab of the same page (#payments) changes only the hash.
  window.addEventListener("hashchange", showTabFromHash);

  function ready() { showTabFromHash(); drawCharts(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
