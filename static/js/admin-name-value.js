/* Name/value rows in the admin (shop.core.name_value_fields.NameValueWidget): an enhancement.
   Without JavaScript the server's empty rows are there to fill in. With it, spare empty rows
   are dropped (one is kept where there is nothing yet) and "Add a row" appends one. Every row
   posts under the same two names, so a new row only needs its own ids and labels. Listeners
   are delegated to the document: the admin's "Add another …" clones rows after this ran. */
(function () {
  "use strict";

  document.documentElement.classList.add("agora-js");

  function rowsOf(group) {
    return Array.prototype.slice.call(group.querySelectorAll("[data-pairs-row]"));
  }

  function isEmpty(row) {
    return Array.prototype.every.call(row.querySelectorAll("input"), function (input) {
      return input.value.trim() === "";
    });
  }

  function trim(group) {
    var rows = rowsOf(group);
    var filled = rows.filter(function (row) { return !isEmpty(row); }).length;
    var keep = filled === 0 ? 1 : 0;
    rows.filter(isEmpty).forEach(function (row) {
      if (keep > 0) {
        keep -= 1;
      } else {
        row.remove();
      }
    });
  }

  function addRow(group) {
    var rows = rowsOf(group);
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    var index = rows.length;
    var noun = group.getAttribute("data-pairs-noun") || "Row";
    row.querySelectorAll("input").forEach(function (input) {
      var part = input.classList.contains("agora-pairs__name") ? "name" : "value";
      input.value = "";
      input.id = input.id.replace(/_\d+_(name|value)$/, "_" + index + "_" + part);
      input.setAttribute("aria-label", noun + " " + (index + 1) + " " + part);
    });
    last.after(row);
    row.querySelector("input").focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pairs]").forEach(trim);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pairs-add]");
    if (button) {
      addRow(button.closest("[data-pairs]"));
    }
  });
})();
