/* Profile page: show the picture chosen for the avatar before the profile is saved.

   Markup (templates/accounts/includes/avatar_field.html): a [data-avatar-field] holding the
   file input (data-max-bytes: the server's limit), the current avatar, <img
   data-avatar-preview-image>, or with none yet the initial others see,
   [data-avatar-preview-initial], and a [data-avatar-preview-status] live region that says what
   is shown. The picture is read as
   a data: URL (the Content-Security-Policy allows data: images, not blob:). The server still
   checks and re-encodes the file; this only shows it, and says at once when a file is of a
   kind or a size the server will refuse. Without JavaScript the current avatar stays shown. */
(function () {
  "use strict";

  var TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];

  function size(bytes) {
    if (bytes < 1024 * 1024) {
      return Math.ceil(bytes / 1024) + " KB";
    }
    return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
  }

  function initAvatarField(field) {
    var input = field.querySelector('input[type="file"]');
    var image = field.querySelector("[data-avatar-preview-image]");
    var initial = field.querySelector("[data-avatar-preview-initial]");
    var status = field.querySelector("[data-avatar-preview-status]");
    if (!input || !status || !(image || initial)) {
      return;
    }
    if (!image) {
      // No avatar yet: the preview goes where the initial is, hidden until a picture is chosen.
      image = document.createElement("img");
      image.className = "avatar avatar--large";
      image.width = 96;
      image.height = 96;
      image.alt = "";
      image.hidden = true;
      image.setAttribute("data-avatar-preview-image", "");
      initial.parentNode.insertBefore(image, initial);
    }
    var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10) || 0;
    var original = {
      src: image.getAttribute("src"),
      alt: image.getAttribute("alt"),
      hidden: image.hidden,
      status: status.textContent,
    };
    var reading = 0; // a later choice wins over a slower earlier read

    function show(message, isProblem) {
      status.textContent = message;
      status.classList.toggle("avatar-field__status--problem", Boolean(isProblem));
    }

    function restore() {
      if (original.src) {
        image.setAttribute("src", original.src);
      } else {
        image.removeAttribute("src");
      }
      image.setAttribute("alt", original.alt || "");
      image.hidden = original.hidden;
      if (initial) {
        initial.hidden = false;
      }
    }

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      reading += 1;
      if (!file) {
        restore();
        show(original.status, false);
        return;
      }
      if (TYPES.indexOf(file.type) === -1) {
        restore();
        show("This file is not a JPEG, PNG, WebP or GIF image: choose another one.", true);
        return;
      }
      if (maxBytes && file.size > maxBytes) {
        restore();
        show(
          "This picture is " + size(file.size) + "; the limit is " + size(maxBytes) +
            ": choose a smaller one.",
          true
        );
        return;
      }
      var ticket = reading;
      var reader = new FileReader();
      reader.addEventListener("load", function () {
        if (ticket !== reading) {
          return;
        }
        image.src = reader.result;
        image.alt = "Preview of your new avatar (not saved yet)";
        image.hidden = false;
        if (initial) {
          initial.hidden = true;
        }
        show("Preview of " + file.name + ". Save your profile to keep it.", false);
      });
      reader.addEventListener("error", function () {
        if (ticket === reading) {
          restore();
          show("This picture could not be read: choose another one.", true);
        }
      });
      reader.readAsDataURL(file);
    });
  }

  document.querySelectorAll("[data-avatar-field]").forEach(initAvatarField);
})();
