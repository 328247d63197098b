"""Solves a maximal-covering instance written by the suggest_instance example exactly,
with PuLP's bundled CBC (an integer programme: maximise the weight of covered
elements, y_e <= sum of x_c over the candidates c covering e, sum x_c = count), and
compares RedGrid's greedy + swap answer with the optimum.

    python3 bench/suggest_exact.py INSTANCE.json [TIME_LIMIT_S]
"""

import json
import sys
import time

import pulp


def main() -> None:
    doc = json.load(open(sys.argv[1]))
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 900
    weights, count = doc["weights"], doc["count"]
    # Candidates with the same set are one candidate to the solver.
    distinct = {}
    for c, members in enumerate(doc["sets"]):
        if members:
            distinct.setdefault(tuple(members), c)
    sets = list(distinct)
    started = time.perf_counter()
    model = pulp.LpProblem("maximal_covering", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{i}", cat="Binary") for i in range(len(sets))]
    y = [pulp.LpVariable(f"y{e}", lowBound=0, upBound=1) for e in range(len(weights))]
    covering = [[] for _ in weights]
    for i, members in enumerate(sets):
        for e in members:
            covering[e].append(x[i])
    model += pulp.lpSum(w * y[e] for e, w in enumerate(weights))
    for e, xs in enumerate(covering):
        model += y[e] <= pulp.lpSum(xs)
    model += pulp.lpSum(x) == count
    status = model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
    seconds = time.perf_counter() - started
    optimum = round(pulp.value(model.objective))
    ours = doc["redgrid"]["value"]
    print(f"instance: {len(doc['sets'])} candidates ({len(sets)} distinct sets), "
          f"{len(weights)} uncovered buildings, {count} sites")
    print(f"CBC ({pulp.LpStatus[status]}): {optimum} people in {seconds:.1f} s")
    print(f"RedGrid greedy + swap: {ours} people in "
          f"{doc['redgrid']['seconds_including_instance']:.2f} s "
          f"(instance included): {100 * ours / optimum:.2f} % of the optimum")


if __name__ == "__main__":
    main()
