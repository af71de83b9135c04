// The share control (templates/likes/share_dialog.html, share_link.html): progressive
// enhancement only. Without this file the forms post and the links open as they are.
// - "Copy link" copies the share link (navigator.clipboard);
// - "Share with an app…" (shown where the browser has navigator.share) asks the server for a
//   share link (channel network, network native) and hands it to the system's share sheet;
// - a search box filters a long list of friends.
(function () {
  "use strict";

  function copied(box, text) {
    var status = box.querySelector("[data-share-copied]");
    if (status) status.textContent = text;
  }

  function enhanceLinks(root) {
    root.querySelectorAll("[data-share-link]").forEach(function (box) {
      var button = box.querySelector("[data-share-copy]");
      var input = box.querySelector("[data-share-url]");
      if (!button || !input || button.dataset.ready) return;
      button.dataset.ready = "1";
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(
          function () { copied(box, "Link copied."); },
          function () { input.select(); copied(box, "Select the link and copy it."); }
        );
      });
    });
  }

  function enhanceNative(root) {
    if (typeof navigator.share !== "function") return;
    root.querySelectorAll("form[data-web-share]").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      form.hidden = false;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (!data.url) throw new Error("no link");
            return navigator.share({ title: data.title, url: data.url });
          })
          .catch(function () { /* dismissed, or refused: nothing to undo */ });
      });
    });
  }

  function enhanceSearch(root) {
    root.querySelectorAll("[data-share-friends]").forEach(function (form) {
      var wrap = form.querySelector("[data-share-search]");
      var input = form.querySelector("[data-share-filter]");
      if (!wrap || !input || input.dataset.ready) return;
      input.dataset.ready = "1";
      wrap.hidden = false;
      input.addEventListener("input", function () {
        var term = input.value.trim().toLowerCase();
        form.querySelectorAll("[data-share-person]").forEach(function (item) {
          var match = !term || item.dataset.sharePerson.indexOf(term) !== -1;
          // A chosen friend stays visible, so no choice is hidden from its sender.
          item.hidden = !match && !item.querySelector("input:checked");
        });
      });
    });
  }

  // Escape closes an open share panel and gives the focus back to its "Share" button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = event.target.closest && event.target.closest("details[data-share][open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });

  function enhance(root) {
    enhanceLinks(root);
    enhanceNative(root);
    enhanceSearch(root);
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.target);
    // Sent: clear the choices, so the next send starts afresh.
    if (event.target.querySelector && event.target.querySelector(".message--success")) {
      var form = event.target.closest("form[data-share-friends]");
      if (form) form.reset();
    }
  });
  if (document.readyState !== "loading") enhance(document);
})();
