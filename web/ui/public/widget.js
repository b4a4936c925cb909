/*
 * filmgraph recommendation widget. Drop into any page:
 *   <script src="https://YOUR-FILMGRAPH/static/widget.js" data-movie="TW92aWU6ODA5Njk"></script>
 * data-movie is a film's global id or MovieLens id; data-height sets the frame height (px).
 * The script replaces itself with an iframe showing the film's "Recommended Movies" strip.
 */
(function () {
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, window.location.href).origin;
  var frame = document.createElement('iframe');
  frame.src = origin + '/widget/' + encodeURIComponent(script.getAttribute('data-movie') || '');
  frame.title = 'Recommended movies';
  frame.loading = 'lazy';
  frame.style.cssText = 'width:100%;border:0;height:' + (parseInt(script.getAttribute('data-height'), 10) || 360) + 'px';
  frame.className = 'filmgraph-widget';
  script.parentNode.insertBefore(frame, script);
})();
