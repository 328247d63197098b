"""Reference points for CGCS2000 3-degree Gauss-Kruger (EPSG:4549, CM 120E, and
EPSG:4550, CM 123E: no zone number in the easting, false easting 500 km), computed
with PROJ through pyproj, independently of RedGrid's code. Writes
server/tests/fixtures/gk3_vectors.json.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install pyproj==3.7.2
    /tmp/v/bin/python scripts/gen_gk3_vectors.py
"""
import json
import random

import pyproj
from pyproj import Transformer

random.seed(3)
vectors = []
for epsg, cm in [(4549, 120), (4550, 123)]:
    to_gk = Transformer.from_crs("EPSG:4490", f"EPSG:{epsg}", always_xy=True)
    points = [(random.uniform(121.2, 121.6), random.uniform(37.35, 37.65)) for _ in range(40)]
    points += [(random.uniform(cm - 1.5, cm + 1.5), random.uniform(18.0, 53.0)) for _ in range(40)]
    for lon, lat in points:
        lon, lat = round(lon, 9), round(lat, 9)
        x, y = to_gk.transform(lon, lat)
        vectors.append({"cm": cm, "lon": lon, "lat": lat, "x": x, "y": y})
meta = {
    "source": f"pyproj {pyproj.__version__}, PROJ {pyproj.proj_version_str}",
    "crs": "EPSG:4490 -> EPSG:4549 (CM 120E) and EPSG:4550 (CM 123E)",
}
with open("server/tests/fixtures/gk3_vectors.json", "w") as f:
    json.dump({"meta": meta, "vectors": vectors}, f, indent=1)
print(len(vectors), "vectors")
