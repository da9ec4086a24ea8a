/* The contract forms' product picker (contracts/_line_fields.html), from data
   attributes, no inline script (CSP script-src 'self'):
   - a match's button [data-pick-model] fills the hidden model field, shows the
     choice and puts its list price into the unit price;
   - a price request's button (same, with data-adjustment and data-price) also picks
     the request and its price;
   - [data-price-deviation] shows the price against the list price as it is typed. */
(function () {
  "use strict";

  function picker(element) { return element.closest("[data-product-picker]"); }
  function field(box, name) {
    var selector = box.getAttribute(name);
    return selector ? document.querySelector(selector) : null;
  }
  function deviationBox(box) {
    var own = field(box, "data-deviation");  // a form with several pickers names each one's
    if (own) return own;
    var form = box.closest("form");
    return form ? form.querySelector("[data-price-deviation]") : null;
  }
  // The picker whose price or request field ``target`` is (a form may hold several).
  function pickerOf(target) {
    var form = target.form;
    if (!form) return null;
    var boxes = form.querySelectorAll("[data-product-picker]");
    for (var i = 0; i < boxes.length; i++) {
      if (target === field(boxes[i], "data-price-field") || target === field(boxes[i], "data-adjustment-field")) return boxes[i];
    }
    return null;
  }
  function money(value) {
    return value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function showDeviation(box) {
    var out = deviationBox(box);
    var priceField = field(box, "data-price-field");
    if (!out || !priceField) return;
    var list = parseFloat(out.getAttribute("data-list-price"));
    var price = parseFloat(priceField.value);
    out.classList.remove("text-danger", "text-success");
    if (!isFinite(list) || !isFinite(price) || list <= 0) { out.textContent = ""; return; }
    if (Math.abs(price - list) < 0.005) {
      out.textContent = out.getAttribute("data-text-equal") + " ¥" + money(list);
      out.classList.add("text-success");
      return;
    }
    var diff = price - list;
    var pct = (diff / list) * 100;
    var text = out.getAttribute("data-text-off")
      .replace("{pct}", (pct > 0 ? "+" : "") + pct.toFixed(1) + "%")
      .replace("{diff}", (diff > 0 ? "+¥" : "-¥") + money(Math.abs(diff)))
      .replace("{list}", "¥" + money(list));
    var adjustment = field(box, "data-adjustment-field");
    if (adjustment && !adjustment.value) text += " " + out.getAttribute("data-text-needs-request");
    out.textContent = text;
    out.classList.add("text-danger");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-model]");
    if (!button) return;
    var box = picker(button);
    if (!box) return;
    event.preventDefault();
    var model = field(box, "data-model-field");
    if (model) model.value = button.getAttribute("data-pick-model");
    var chosen = box.querySelector("[data-picker-chosen]");
    if (chosen) {
      chosen.querySelector("[data-picker-chosen-label]").textContent = button.getAttribute("data-label");
      chosen.classList.remove("d-none");
    }
    var out = deviationBox(box);
    var list = button.getAttribute("data-list-price") || "";
    if (out) out.setAttribute("data-list-price", list);
    var price = field(box, "data-price-field");
    var offer = button.getAttribute("data-price");
    if (price) price.value = offer || list;
    var adjustment = field(box, "data-adjustment-field");
    if (adjustment) adjustment.value = button.getAttribute("data-adjustment") || "";
    var results = box.querySelector("[data-picker-results]");
    if (results) results.innerHTML = "";
    var search = box.querySelector("[data-product-search]");
    if (search) search.value = "";
    showDeviation(box);
    var quantity = field(box, "data-quantity-field");
    if (quantity && !quantity.value) quantity.focus();
  });

  // Typing a price or choosing a request updates the deviation.
  function onEdit(event) {
    var box = pickerOf(event.target);
    if (box) showDeviation(box);
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  // Enter in the search box looks the product up; it does not submit the contract.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-product-search]")) event.preventDefault();
  });

  function ready() { document.querySelectorAll("[data-product-picker]").forEach(showDeviation); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
