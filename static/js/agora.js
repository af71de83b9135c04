/* Agora: the little plain JavaScript the pages use. Everything here is an enhancement: each
   page works without it (forms are GET/POST forms, links are links). */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* Product page: picking a variant updates the price box in place. The radios sit in a
     GET form (?variant=<id>) that works without JavaScript; the data comes from the
     #variant-data json_script blob, with prices already formatted by the server. */
  function initVariantPicker(picker) {
    var blob = document.getElementById("variant-data");
    var status = document.querySelector("[data-variant-status]");
    if (!blob || !status) {
      return;
    }
    var variants = {};
    JSON.parse(blob.textContent).forEach(function (variant) {
      variants[String(variant.id)] = variant;
    });
    var price = status.querySelector("[data-variant-price]");
    var compareWrap = status.querySelector("[data-variant-compare-wrap]");
    var compare = status.querySelector("[data-variant-compare]");
    var stock = status.querySelector("[data-variant-stock]");
    var sku = status.querySelector("[data-variant-sku]");

    function show(input) {
      if (!input || input.name !== "variant") {
        return;
      }
      var variant = variants[input.value];
      if (!variant) {
        return;
      }
      price.textContent = variant.price;
      compare.textContent = variant.compare_at;
      compareWrap.hidden = !variant.compare_at;
      stock.textContent = variant.stock;
      ["in", "low", "out"].forEach(function (level) {
        stock.classList.toggle("stock--" + level, variant.stock_level === level);
      });
      sku.textContent = variant.sku;
      // Keep the address shareable: it opens the page on the same option.
      var url = new URL(window.location.href);
      url.searchParams.set("variant", variant.id);
      window.history.replaceState(null, "", url);
    }

    picker.addEventListener("change", function (event) {
      show(event.target);
    });
    // An option picked before this script ran (a quick click while the page loads, or the
    // browser restoring the form on Back) fired its change event unheard: show it now.
    var picked = picker.querySelector("input[name='variant']:checked");
    if (picked && !picked.defaultChecked) {
      show(picked);
    }
  }

  /* Product page: a thumbnail shows its picture in the main image (without JavaScript the
     thumbnail links to the full picture). */
  function initGallery(gallery) {
    var main = gallery.querySelector("[data-gallery-main]");
    if (!main) {
      return;
    }
    gallery.addEventListener("click", function (event) {
      var thumb = event.target.closest("[data-gallery-thumb]");
      if (!thumb || event.metaKey || event.ctrlKey || event.shiftKey) {
        return;
      }
      event.preventDefault();
      main.removeAttribute("width");
      main.removeAttribute("height");
      // srcset first: with the old one still set, the browser would keep the old picture.
      var srcset = thumb.getAttribute("data-srcset");
      if (srcset) {
        main.srcset = srcset;
      } else {
        main.removeAttribute("srcset");
      }
      main.src = thumb.getAttribute("data-full");
      main.alt = thumb.getAttribute("data-alt");
      gallery.querySelectorAll("[data-gallery-thumb]").forEach(function (other) {
        other.removeAttribute("aria-current");
      });
      thumb.setAttribute("aria-current", "true");
    });
  }

  /* Product lists: the filters are a <details> that starts closed (small screens keep the
     results in view); on wide screens, where they sit in a sidebar, they start open. */
  function initFilters(details) {
    if (window.matchMedia("(min-width: 60em)").matches) {
      details.open = true;
    }
  }

  /* A form that failed: move the focus to its error summary (tabindex="-1", a heading and a
     link per problem), so keyboard and screen-reader users start from what went wrong
     rather than from the top of the page. A link in the summary focuses its field. */
  function initErrorSummary(summary) {
    if (summary.closest("[hidden]")) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }

  function init(root) {
    root.querySelectorAll("[data-variant-picker]").forEach(initVariantPicker);
    root.querySelectorAll("[data-gallery]").forEach(initGallery);
    root.querySelectorAll("details[data-filters]").forEach(initFilters);
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      initErrorSummary(summary);
    }
  }

  /* Product lists apply their filters with htmx, which pushes each list's address but keeps
     no snapshot of it (hx-history="false" in catalog/product_list.html): going Back to one
     loads that address again, so the page, its form included, is what the address says. */
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    event.preventDefault();
    window.location.reload();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
