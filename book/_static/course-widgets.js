// Live widgets on the static site (see dosecourse/chapters/widgets.py).  Written for this course.
//
// Each widget is a <div class="course-widget" data-widget="KEY" data-lang="LANG"> holding ordinary HTML
// controls (data-name on each) and output parts (data-part, data-depends).  The book build precomputed every
// state of every part into _static/widget-states/KEY/ (palette PNG figures, and states.js with tables and texts);
// this script loads states.js (a <script>, so it also works from file://) and, whenever a control moves,
// shows the state of each part for the controls it depends on.  Nothing here is specific to one widget.
(function () {
  "use strict";
  const root = () => document.documentElement.dataset.content_root || "";
  const registry = () => (window.courseWidgetStates = window.courseWidgetStates || {});

  function loadStates(key, lang, done) {
    const id = key + "/" + lang;
    if (registry()[id]) { done(registry()[id]); return; }
    const script = document.createElement("script");
    script.src = root() + "_static/widget-states/" + key + "/states.js";
    script.onload = () => done(registry()[id]);
    script.onerror = () => console.warn("course widget " + key + ": no precomputed states at " + script.src);
    document.head.appendChild(script);
  }

  function positions(box) {
    const at = {};
    box.querySelectorAll("[data-name]").forEach((el) => {
      if (el.type === "radio") { if (el.checked) at[el.dataset.name] = Number(el.value); }
      else if (el.type === "checkbox") at[el.dataset.name] = el.checked ? 1 : 0;
      else at[el.dataset.name] = Number(el.value);
    });
    return at;
  }

  function readouts(box) {
    box.querySelectorAll('input[type="range"]').forEach((el) => {
      const shown = JSON.parse(el.dataset.shown)[Number(el.value)];
      el.setAttribute("aria-valuetext", shown);
      const out = box.querySelector('output[for="' + el.id + '"]');
      if (out) out.textContent = shown;
    });
  }

  function show(box, states) {
    const at = positions(box);
    const base = root() + "_static/widget-states/" + box.dataset.widget + "/";
    box.querySelectorAll(".cw-part").forEach((el) => {
      const part = states.parts[Number(el.dataset.part)];
      const key = part.depends.map((name) => at[name]).join("_") || "0";
      if (el.dataset.state === key) return;
      const state = part.states[key];
      if (!state) { console.warn("course widget " + box.dataset.widget + ": no state " + key); return; }
      if (state.img) {
        let img = el.querySelector("img.cw-figure");
        if (!img) { el.innerHTML = ""; img = document.createElement("img"); img.className = "cw-figure";
                    el.appendChild(img); }
        img.src = base + state.img;
        img.alt = state.alt;
      } else {
        el.innerHTML = state.html;
      }
      el.dataset.state = key;
    });
  }

  function init(box) {
    const run = box.querySelector("a.cw-run");
    if (run) run.href = root() + run.dataset.target;
    loadStates(box.dataset.widget, box.dataset.lang, (states) => {
      if (!states) return;
      const update = () => { readouts(box); show(box, states); };
      box.querySelectorAll("[data-name]").forEach((el) => {
        el.addEventListener("input", update);
        el.addEventListener("change", update);
      });
      box.classList.add("cw-ready");
    });
  }

  const start = () => document.querySelectorAll(".course-widget").forEach(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
