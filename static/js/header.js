/* Agora's header: its disclosures, the menu drawer of narrow screens, the categories panel
   and the account menu (templates/base.html, components/site_menu.html, account_nav.html).

   Each is a button with aria-expanded and aria-controls, marked data-disclosure. Its panel is
   hidden until opened: by the hidden attribute, or for the drawer (shown inline on wide
   screens, marked data-drawer) by the class is-open. One is open at a time, but for a panel
   inside another's (the categories in the drawer). Escape closes the innermost and puts the
   focus back on its button; a click or the focus landing outside closes it too. A button
   marked data-disclosure-focus="first" moves the focus to its panel's first item (the
   drawer, which sits apart from its button); otherwise the items follow the button in the
   tab order. Hidden panels are display: none, so nothing in them takes the focus.

   The buttons are delegated from the document: the account menu comes from a shell slot,
   and htmx may swap parts of the page. */
(function () {
  "use strict";

  var opened = []; // the open buttons, outermost first

  function panelOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function isOpen(button) {
    return button.getAttribute("aria-expanded") === "true";
  }

  function panelShow(panel, open) {
    if (panel.hasAttribute("data-drawer")) {
      panel.classList.toggle("is-open", open);
    } else {
      panel.hidden = !open;
    }
  }

  function firstItem(panel) {
    var items = panel.querySelectorAll("a[href], button:not([disabled]), input:not([disabled])");
    for (var i = 0; i < items.length; i += 1) {
      if (items[i].getClientRects().length > 0) {
        return items[i];
      }
    }
    return null;
  }

  function holds(button, node) {
    var panel = panelOf(button);
    return button.contains(node) || (panel !== null && panel.contains(node));
  }

  function close(button, refocus) {
    if (!isOpen(button)) {
      return;
    }
    var panel = panelOf(button);
    // Close what is open inside it first.
    opened.slice().reverse().forEach(function (inner) {
      if (inner !== button && panel && panel.contains(inner)) {
        close(inner, false);
      }
    });
    button.setAttribute("aria-expanded", "false");
    if (panel) {
      panelShow(panel, false);
    }
    opened = opened.filter(function (other) {
      return other !== button;
    });
    if (refocus) {
      button.focus();
    }
  }

  function open(button) {
    var panel = panelOf(button);
    if (!panel) {
      return;
    }
    opened.slice().reverse().forEach(function (other) {
      if (!panelOf(other) || !panelOf(other).contains(button)) {
        close(other, false);
      }
    });
    button.setAttribute("aria-expanded", "true");
    panelShow(panel, true);
    opened.push(button);
    if (button.getAttribute("data-disclosure-focus") === "first") {
      var item = firstItem(panel);
      if (item) {
        item.focus();
      }
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-disclosure]");
    if (button) {
      if (isOpen(button)) {
        close(button, false);
      } else {
        open(button);
      }
      return;
    }
    opened.slice().reverse().forEach(function (other) {
      if (!holds(other, event.target)) {
        close(other, false);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || opened.length === 0) {
      return;
    }
    event.preventDefault();
    close(opened[opened.length - 1], true);
  });

  // Tabbing past a panel's last item (or Shift+Tab before its button) closes it.
  document.addEventListener("focusin", function (event) {
    opened.slice().reverse().forEach(function (other) {
      if (!holds(other, event.target)) {
        close(other, false);
      }
    });
  });
})();
