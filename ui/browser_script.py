"""The one place the dashboard runs a script of its own in the browser: fetching and
clearing the session cookie, sending the browser to a platform's consent page, copying a text
to the clipboard, and putting Streamlit's and plotly's own widget words (toolbars, uploader)
into Indonesian.

Streamlit sends no header of ours, cannot redirect, has no clipboard and no locale, so these
need a script. Values reach it only as JSON string literals with ``<``, ``>`` and ``&``
escaped, never as markup: no text from a user or a platform can close the script or become
code. tests/test_untrusted_text.py checks that no other dashboard module renders raw HTML.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from present.labels import WIDGET_SIZE_LINE, WIDGET_WORDS
from services.web_sessions import SESSION_PATH, SIGN_OUT_PATH

_ELEMENT_KEY = re.compile(r"[a-z0-9_-]{1,40}")
# the button, drawn like Streamlit's secondary button, and the line that says what happened
COPY_STYLE = (
    "font: inherit; color: inherit; background: transparent; cursor: pointer; "
    "border: 1px solid rgba(128, 128, 128, 0.4); border-radius: 0.5rem; "
    "padding: 0.375rem 0.75rem; min-height: 2.5rem; margin-right: 0.75rem;"
)
# Clipboard API where the page is a secure context (https, localhost); the older copy command
# otherwise (http on the office network), both inside the click that the browser requires
COPY_SCRIPT = """(function () {
  const text = %(text)s, done = %(done)s, failed = %(failed)s;
  const button = document.getElementById(%(button)s);
  const note = document.getElementById(%(note)s);
  if (!button || !note) return;
  function copyCommand() {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    area.remove();
    return copied;
  }
  button.addEventListener("click", function () {
    const say = function (ok) { note.textContent = ok ? done : failed; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { say(true); }, function () { say(copyCommand()); });
    } else {
      say(copyCommand());
    }
  });
})();"""


# Replaces, wherever Streamlit or plotly draws them, an element's aria-label, title, data-title
# (plotly's tooltips) or placeholder, and a text node, that is exactly one of the English words
# of the table; the dashboard's own text (markdown, captions, code, inputs) is never touched.
# Installed once per page load (a rerun finds it there), it watches the page for new widgets.
TRANSLATE_SCRIPT = """(function () {
  if (window.pantauWords) return;
  const words = %(words)s, size = new RegExp(%(size)s), sizeText = %(size_text)s;
  window.pantauWords = words;
  const ATTRIBUTES = ["aria-label", "title", "data-title", "placeholder"];
  const OWN_TEXT = ".stMarkdown, .stCaption, .stCode, textarea, input, script, style";
  function word(text) {
    const plain = text.trim();
    if (Object.prototype.hasOwnProperty.call(words, plain)) return words[plain];
    if (size.test(plain)) return plain.replace(size, sizeText);
    return null;
  }
  function translate(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      const parent = root.parentElement;
      const better = parent && !parent.closest(OWN_TEXT) ? word(root.nodeValue) : null;
      if (better !== null && better !== root.nodeValue) root.nodeValue = better;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const elements = [root, ...root.querySelectorAll("*")];
    for (const element of elements) {
      for (const name of ATTRIBUTES) {
        const value = element.getAttribute(name);
        const better = value === null ? null : word(value);
        if (better !== null && better !== value) element.setAttribute(name, better);
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) translate(node);
  }
  new MutationObserver(function (changes) {
    for (const change of changes) {
      if (change.type === "childList") change.addedNodes.forEach(translate);
      else translate(change.target);
    }
  }).observe(document.body, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTES,
  });
  translate(document.body);
})();"""


def js_string(value: str) -> str:
    """``value`` as a JavaScript string literal that cannot end the surrounding <script>."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fetch_session_cookie(code: str) -> None:
    """Trade a sign-in's one-time code for the HttpOnly session cookie (web/session_routes.py
    sets it; no script can read it)."""
    _run(
        f"fetch({js_string(SESSION_PATH)}, {{method: 'POST', credentials: 'same-origin', "
        f"cache: 'no-store', body: {js_string(code)}}});"
    )


def clear_session_cookie() -> None:
    """Have the server end this browser's session and clear its cookie (a sign-out)."""
    _run(
        f"fetch({js_string(SIGN_OUT_PATH)}, {{method: 'POST', credentials: 'same-origin', "
        "cache: 'no-store'});"
    )


def hold_place() -> None:
    """An empty script where the cookie's script was, so the page's later elements keep their
    place (and an open expander stays open) on the next run."""
    _run("")


def go_to(url: str) -> None:
    """Send this tab to ``url`` (an http(s) address only)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("only http(s) addresses")
    _run(f"window.location.assign({js_string(url)});")


def copy_button(text: str, key: str, label: str, done: str, failed: str) -> None:
    """A button labelled ``label`` that copies ``text`` to the clipboard when clicked, then
    says ``done`` (or ``failed``) beside it. ``key`` tells several buttons of a page apart."""
    if not _ELEMENT_KEY.fullmatch(key):
        raise ValueError("key: lowercase letters, digits, '-' and '_' only")
    button, note = f"pantau-copy-{key}", f"pantau-copy-{key}-note"
    script = COPY_SCRIPT % {
        "text": js_string(text), "done": js_string(done), "failed": js_string(failed),
        "button": js_string(button), "note": js_string(note),
    }  # fmt: skip
    st.html(
        f'<button type="button" id="{button}" style="{COPY_STYLE}">{_plain(label)}</button>'
        f'<span id="{note}" role="status" aria-live="polite"></span>'
        f"<script>{script}</script>",
        unsafe_allow_javascript=True,
    )


def translate_widgets() -> None:
    """Streamlit's and plotly's widget words in Indonesian (present.labels.WIDGET_WORDS)."""
    pattern, replacement = WIDGET_SIZE_LINE
    _run(
        TRANSLATE_SCRIPT
        % {
            "words": f"JSON.parse({js_string(json.dumps(WIDGET_WORDS, ensure_ascii=False))})",
            "size": js_string(pattern),
            "size_text": js_string(replacement),
        }
    )


def _plain(label: str) -> str:
    """A label of the dashboard's own as HTML text (no tag, no entity)."""
    if any(c in label for c in "<>&\"'"):
        raise ValueError("a button label is plain text")
    return label


def _run(script: str) -> None:
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True, width="content")
