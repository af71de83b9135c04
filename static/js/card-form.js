/* Agora: the card form of the pay page with the fake gateway (test mode). As the card is
   typed, its number is grouped in fours (American Express 4-6-5) and its brand named in
   words (Visa, Mastercard, Amex), and the expiry date is written MM/YY. The server takes the
   number with or without spaces and the date with or without the slash, so the form works
   the same without this script; it only helps people type and check what they typed. */
(function () {
  "use strict";

  var form = document.querySelector("[data-card-form]");
  if (!form) {
    return;
  }
  var number = form.querySelector('input[name="card_number"]');
  var brandBox = form.querySelector("[data-card-brand]");
  var expiry = form.querySelector('input[name="expiry"]');
  var MAX_DIGITS = 19;

  /* The brand a number's first digits name (ISO/IEC 7812 prefixes), or "" not yet known. */
  function brandOf(digits) {
    if (/^3[47]/.test(digits)) {
      return "Amex";
    }
    if (/^4/.test(digits)) {
      return "Visa";
    }
    if (/^5[1-5]/.test(digits)) {
      return "Mastercard";
    }
    if (digits.length >= 4) {
      var prefix = Number(digits.slice(0, 4));
      if (prefix >= 2221 && prefix <= 2720) {
        return "Mastercard";
      }
    }
    return "";
  }

  function grouped(digits, brand) {
    var sizes = brand === "Amex" ? [4, 6, 5] : [4, 4, 4, 4, 3];
    var parts = [];
    var start = 0;
    sizes.forEach(function (size) {
      if (start < digits.length) {
        parts.push(digits.slice(start, start + size));
        start += size;
      }
    });
    return parts.join(" ");
  }

  /* The position in `text` just after its `count`-th digit. */
  function afterDigits(text, count) {
    var position = 0;
    var seen = 0;
    while (position < text.length && seen < count) {
      if (/[0-9]/.test(text.charAt(position))) {
        seen += 1;
      }
      position += 1;
    }
    return position;
  }

  function brandShow(brand) {
    brandBox.textContent = "";
    if (brand) {
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = "Card brand: ";
      brandBox.append(label, brand);
    }
  }

  var lastDigits = "";

  function numberFormat(event) {
    var value = number.value;
    var caret = number.selectionStart === null ? value.length : number.selectionStart;
    var before = value.slice(0, caret).replace(/[^0-9]/g, "").length;
    var digits = value.replace(/[^0-9]/g, "");
    if (
      event &&
      event.inputType === "deleteContentBackward" &&
      digits === lastDigits &&
      before > 0
    ) {
      // Backspace took a space the grouping put there: take the digit before it instead.
      digits = digits.slice(0, before - 1) + digits.slice(before);
      before -= 1;
    }
    digits = digits.slice(0, MAX_DIGITS);
    before = Math.min(before, digits.length);
    lastDigits = digits;
    var brand = brandOf(digits);
    var text = grouped(digits, brand);
    if (text !== value) {
      number.value = text;
      if (document.activeElement === number) {
        var position = afterDigits(text, before);
        number.setSelectionRange(position, position);
      }
    }
    brandShow(brand);
  }

  /* "1234" -> "12/34", "4" -> "04", "1/" -> "01/": the month always has two digits. */
  function expiryFormat() {
    var value = expiry.value;
    var slash = value.indexOf("/");
    var month;
    var year;
    if (slash >= 0) {
      month = value.slice(0, slash).replace(/[^0-9]/g, "").slice(0, 2);
      year = value.slice(slash + 1).replace(/[^0-9]/g, "").slice(0, 4);
      if (month.length === 1) {
        month = "0" + month;
      }
    } else {
      var digits = value.replace(/[^0-9]/g, "");
      if (/^[2-9]/.test(digits)) {
        digits = "0" + digits;
      }
      month = digits.slice(0, 2);
      year = digits.slice(2, 6);
    }
    var text = slash >= 0 || year ? month + "/" + year : month;
    if (text !== value) {
      expiry.value = text;
    }
  }

  if (number && brandBox) {
    number.addEventListener("input", numberFormat);
    numberFormat(null); // a number kept after a form error is grouped too
  }
  if (expiry) {
    expiry.addEventListener("input", expiryFormat);
  }
})();
