/* Agora: the pay pages in Stripe mode (PAYMENT_GATEWAY=stripe). The card is typed into
   Stripe.js's card Element and never reaches our server: the browser turns it into a
   payment method and the form posts only that id. When the bank wants the card holder to
   confirm (3-D Secure), stripe.confirmCardPayment runs the check with the payment's
   client_secret, then the form posts and our server asks Stripe where the payment stands.

   Only what both Stripe.js v3 and localstripe's stand-in (used by the browser tests) do is
   relied on: Stripe(key), elements().create("card"), mount, on("change"), createToken,
   createPaymentMethod (a no-op in the stand-in) and confirmCardPayment(clientSecret). */
(function () {
  "use strict";

  var FALLBACK_MESSAGE = "Check your card details and try again.";

  function showError(box, message) {
    box.textContent = message || "";
    box.hidden = !message;
  }

  /* Stripe.js's own messages are written for card holders (validation and card errors);
     anything else (a network failure, a bug) gets a plain sentence instead. */
  function messageOf(error) {
    if (error && (error.type === "validation_error" || error.type === "card_error")) {
      return error.message || FALLBACK_MESSAGE;
    }
    return FALLBACK_MESSAGE;
  }

  /* Resolve to {id} or {error}. Stripe.js answers createPaymentMethod with a PaymentMethod
     (pm_...); the stand-in answers nothing, but its tokens carry a Card (card_...), which
     PaymentIntents accept as a payment method as Stripe does. */
  function paymentMethodCreate(stripe, card) {
    return Promise.resolve(stripe.createPaymentMethod({ type: "card", card: card })).then(
      function (result) {
        if (result && result.paymentMethod) {
          return { id: result.paymentMethod.id };
        }
        if (result && result.error) {
          return { error: result.error };
        }
        return Promise.resolve(stripe.createToken(card)).then(function (answer) {
          if (answer && answer.token && answer.token.card) {
            return { id: answer.token.card.id };
          }
          return { error: (answer && answer.error) || {} };
        });
      }
    );
  }

  function initPayForm(form) {
    var errors = form.querySelector("[data-card-errors]");
    var button = form.querySelector("button[type=submit]");
    if (typeof window.Stripe !== "function") {
      showError(errors, "The card form could not load. Check your connection and reload the page.");
      button.disabled = true;
      return;
    }
    var stripe;
    var card;
    try {
      stripe = window.Stripe(form.getAttribute("data-publishable-key"));
      card = stripe.elements().create("card");
      card.mount(form.querySelector("[data-card-element]"));
    } catch (error) {
      // e.g. no publishable key configured: say so rather than post an empty form
      showError(errors, "The card form could not load. Please try again later.");
      button.disabled = true;
      return;
    }
    card.on("change", function (event) {
      showError(errors, event && event.error ? messageOf(event.error) : "");
    });
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return; // one payment attempt per click, however often it is pressed
      }
      busy = true;
      button.disabled = true;
      showError(errors, "");
      paymentMethodCreate(stripe, card)
        .then(function (result) {
          if (!result.id) {
            throw result.error;
          }
          form.elements.payment_method.value = result.id;
          form.submit();
        })
        .catch(function (error) {
          busy = false;
          button.disabled = false;
          showError(errors, messageOf(error));
        });
    });
  }

  /* The button comes disabled from the server and is enabled here once pressing it runs
     the bank's check: pressed before this script ran, it would post without the check. */
  function initConfirmForm(form) {
    var button = form.querySelector("button[type=submit]");
    var stripe;
    try {
      stripe = window.Stripe(form.getAttribute("data-publishable-key"));
    } catch (error) {
      button.disabled = false; // the form still posts, and the server says where the payment stands
      return;
    }
    var busy = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      button.disabled = true;
      // Whatever Stripe.js answers (done, refused, cancelled, offline), the server asks
      // Stripe itself: the browser's word is never taken for a payment.
      Promise.resolve()
        .then(function () {
          return stripe.confirmCardPayment(form.getAttribute("data-client-secret"));
        })
        .catch(function () {
          return null;
        })
        .then(function () {
          form.submit();
        });
    });
    button.disabled = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-stripe-pay]"), initPayForm);
  Array.prototype.forEach.call(document.querySelectorAll("[data-stripe-confirm]"), initConfirmForm);
})();
