/* The map page (web/map.py): Leaflet draws the layers of /api/geo/<layer>.geojson, with no tiles. Every word shown
   comes from the page (data-words), already in the reader's language; names go in with textContent, never as HTML. */
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L) { return; }
  var words = JSON.parse(box.getAttribute("data-words"));
  var layers = box.getAttribute("data-layers").split(" ");
  box.hidden = false;
  var map = L.map(box, { attributionControl: false, zoomSnap: 0.5, minZoom: 5, maxZoom: 16 });
  L.control.scale({ imperial: false }).addTo(map);
  var panes = { "districts": 350, "hazard-areas": 400, "works": 450, "district-centres": 500, "settlements": 600 };
  Object.keys(panes).forEach(function (name) { map.createPane(name).style.zIndex = String(panes[name]); });

  function term(value) { return (words.terms && words.terms[value]) || value; }
  function placeName(props, local) { return (local && local[props.code]) || props.name; }

  function text(parts) {  // a tooltip or popup body built as DOM, so a stored name can never become markup
    var el = document.createElement("div");
    parts.forEach(function (part, i) {
      if (i) { el.appendChild(document.createElement("br")); }
      if (part && part.href) {
        var a = document.createElement("a");
        a.href = part.href; a.textContent = part.text;
        el.appendChild(a);
      } else { el.appendChild(document.createTextNode(part)); }
    });
    return el;
  }

  function settlement(feature, latlng) {
    var p = feature.properties;
    var marker = L.circleMarker(latlng, { pane: "settlements", radius: 7, weight: 2, color: "#ffffff",
      fillOpacity: 1, className: "place " + p.status.replace("_", "-") });
    var lines = [placeName(p, words.settlements), words.status[p.status]];
    if (p.forecast_ready && p.status !== "ready") { lines.push(words.forecast + ": " + p.forecast_ready); }
    if (p.open_hazard_areas) {  // the page's singular and plural forms, with the number of the reader's language
      var form = words.open_hazards[p.open_hazard_areas === 1 ? 0 : 1];
      lines.push(form.replace(/\d+/, p.open_hazard_areas.toLocaleString(document.documentElement.lang)));
    }
    marker.bindTooltip(text(lines));
    marker.bindPopup(text(lines.concat([{ href: p.href, text: words.open_page }])));
    return marker;
  }

  function centre(feature, latlng) {
    var p = feature.properties;
    var icon = L.divIcon({ className: "centre-mark", iconSize: [26, 26] });
    var marker = L.marker(latlng, { pane: "district-centres", icon: icon, keyboard: Boolean(p.href),
      title: placeName(p, words.districts) });
    marker.bindTooltip(text([placeName(p, words.districts)]),
      { permanent: true, direction: "right", offset: [14, 0], className: "district-label" });
    if (p.href) { marker.on("click", function () { window.location.href = p.href; }); }
    return marker;
  }

  function hazardLines(p) {
    var lines = [words.hazard_area + " " + p.code + " (" + term(p.classification) + ", " + term(p.status) + ")",
      term(p.contamination), Math.round(p.remaining_area_m2).toLocaleString(document.documentElement.lang) +
      " " + words.remaining];
    if (p.drawn_as === "settlement_point") { lines.push(words.drawn_at_settlement); }
    return lines;
  }

  var build = {
    "settlements": function (data) { return L.geoJSON(data, { pointToLayer: settlement }); },
    "district-centres": function (data) { return L.geoJSON(data, { pointToLayer: centre }); },
    "works": function (data) {
      return L.geoJSON(data, { pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return L.circleMarker(latlng, { pane: "works", radius: 5, weight: 1, color: "#ffffff", fillOpacity: 1,
          className: "works-mark" }).bindTooltip(text([p.name, term(p.sector) + ", " + term(p.status) + ", " +
          Math.round(p.progress_pct) + "% " + words.progress]));
      } });
    },
    "hazard-areas": function (data) {
      return L.geoJSON(data, {
        pane: "hazard-areas",
        style: function (feature) { return { className: "hazard " + feature.properties.status, weight: 2 }; },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { pane: "hazard-areas", radius: 4, weight: 2, fillOpacity: 1,
            className: "hazard-point " + feature.properties.status });
        },
        onEachFeature: function (feature, layer) { layer.bindTooltip(text(hazardLines(feature.properties))); }
      });
    },
    "districts": function (data) {
      return L.geoJSON(data, { pane: "districts", style: function () { return { className: "district-line" }; },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(text([placeName(feature.properties, words.districts)]));
        } });
    }
  };

  var drawn = {};
  var bounds = L.latLngBounds([]);
  var pending = layers.length;
  function fit() {
    pending -= 1;
    if (pending === 0) {
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 }); }
      else { map.setView([40.0, 47.0], 7); }
      box.setAttribute("data-ready", "true");
    }
  }
  layers.forEach(function (name) {
    fetch("/api/geo/" + name + ".geojson", { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = build[name](data);
        drawn[name] = layer;
        layer.addTo(map);
        if (data.features.length && name !== "works") { bounds.extend(layer.getBounds()); }
        fit();
      })
      .catch(fit);
  });

  document.querySelectorAll("#map-legend input[data-layer]").forEach(function (box_) {
    box_.hidden = false;
    box_.addEventListener("change", function () {
      var layer = drawn[box_.getAttribute("data-layer")];
      if (!layer) { return; }
      if (box_.checked) { layer.addTo(map); } else { map.removeLayer(layer); }
    });
  });
}());
