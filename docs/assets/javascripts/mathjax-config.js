// MathJax 3, served from docs/assets/mathjax (a copy of the npm package mathjax@3.2.2, es5/): no CDN.
// $...$ and $$...$$ (the notebooks' Markdown) as well as \(...\) and \[...\] (pymdownx.arithmatex,
// generic mode). Every element is processed except <pre>/<code> and the like (MathJax's default), so the
// notebooks' Markdown cells are typeset too.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    menuOptions: { settings: { assistiveMml: false } }
  }
};
