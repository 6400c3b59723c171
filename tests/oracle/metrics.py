#!/usr/bin/env python3
"""An independent oracle for partnersite's metrics, written from DESIGN.md §4
alone (not from src/metrics).

    python3 tests/oracle/metrics.py [--roi=paired|separate] <site-root> [<quarter>]

Reads <site-root>/data/program.toml and <site-root>/data/partners/*.toml and
prints, as JSON, every partner KPI and status and every program KPI, status,
over_concentrated and partner_of_the_quarter at the quarter (default: the
program's report_quarter, else the latest quarter in any partner file).

Stdlib only (Python 3.11+: tomllib).

Readings chosen where the contract is ambiguous (also marked AMBIGUOUS in the code):
  * "end of Q" is the last day of the quarter (2026-Q2 -> 2026-06-30).
  * ttm_revenue with no influenced_revenue in any of the four quarters: null
    (the contract says missing is "no data, never zero").
  * program sums (influenced/sourced/leads) with no partner value at Q: null.
  * strategic_partner_revenue: mean over tier-1 partners active at the end of
    Q whose ttm_revenue is not null; null if there are none.
  * partner_share: the denominator sums the non-null ttm_revenue of the
    partners active at the end of Q; null when this partner's ttm is null.
  * roi numerator, "Σ sourced + a × Σ (influenced − sourced)" over the
    year's quarters up to Q of every partner file. Two readings:
      paired (default): Σ sourced over every quarter that has a sourced
        value, plus a × Σ (influenced − sourced) over the quarters that have
        both (a difference needs both terms); a quarter with influenced but
        no sourced adds nothing.
      separate (--roi=separate): S + a × (I − S), with S and I summed
        independently, so such a quarter adds a × its influenced revenue.
    partnersite uses the paired reading (the separate reading disagreed on
    14 of 36 random checks). Null when no quarter of the year has a sourced
    value nor a pair. Investment of the year = sum of its four categories;
    no [[investment]] for the year, or zero, gives null. Program year 1 =
    the smallest [[investment]] year.
  * partner_of_the_quarter: null influenced revenue ranks below any number;
    slugs compared ascending; null when no partner is active at the end of Q.
  * a KPI whose target is not set: status "no_data", even with a value.
  * influenced_attribution missing from program.toml: 0.5 (the example's).
  * retention with no partner active at the end of Q-4: null.
"""

import datetime
import json
import os
import sys
import tomllib

PARTNER_TARGETS = {
    # kpi key: (target key, higher is better)
    "yoy_growth": ("yoy_growth", True),
    "deal_registration_rate": ("deal_registration_rate", True),
    "win_rate": ("win_rate", True),
    "certified_staff_share": ("certified_staff_share", True),
    "satisfaction": ("satisfaction", True),
    "joint_csat": ("joint_csat", True),
    "integration_adoption": ("integration_adoption", True),
    "partner_share": ("max_partner_share", False),
}

PROGRAM_TARGETS = ["influenced_share", "sourced_share", "strategic_partner_revenue",
                   "lead_share", "retention"]  # plus roi (per-year target)


def parse_quarter(text):
    year, q = text.split("-Q")
    return int(year), int(q)


def quarter_minus(q, n):
    index = q[0] * 4 + (q[1] - 1) - n
    return index // 4, index % 4 + 1


def quarter_text(q):
    return f"{q[0]}-Q{q[1]}"


def quarter_end(q):
    # AMBIGUOUS: the last day of the quarter.
    month = q[1] * 3
    first_of_next = (datetime.date(q[0] + 1, 1, 1) if month == 12
                     else datetime.date(q[0], month + 1, 1))
    return first_of_next - datetime.timedelta(days=1)


def as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def active_at(partner, date):
    joined = as_date(partner["joined"])
    left = as_date(partner.get("left"))
    return joined <= date and (left is None or left > date)


def ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def status(value, target, higher):
    # AMBIGUOUS: a target that is not set gives "no_data" too.
    if value is None or target is None:
        return "no_data"
    if higher:
        if value >= target:
            return "on_track"
        if value >= 0.9 * target:
            return "at_risk"
        return "off_track"
    if value <= target:
        return "on_track"
    if value <= 1.1 * target:
        return "at_risk"
    return "off_track"


def sum_present(values):
    present = [v for v in values if v is not None]
    # AMBIGUOUS: no value at all is null, not 0.
    return sum(present) if present else None


class Partner:
    def __init__(self, slug, doc):
        self.slug = slug
        self.doc = doc
        self.tier = doc["tier"]
        self.by_quarter = {parse_quarter(q["quarter"]): q for q in doc.get("quarters", [])}

    def field(self, q, key):
        return self.by_quarter.get(q, {}).get(key)

    def ttm(self, q):
        return sum_present(self.field(quarter_minus(q, i), "influenced_revenue") for i in range(4))


def partner_kpis(p, q):
    f = lambda key: p.field(q, key)  # noqa: E731
    certs = f("certifications")
    hours = None
    if certs is not None:
        hours = (40 * certs.get("technical", 0) + 24 * certs.get("sales", 0)
                 + 16 * certs.get("marketing", 0))
    infl = f("influenced_revenue")
    infl_last_year = p.field(quarter_minus(q, 4), "influenced_revenue")
    growth = ratio(infl, infl_last_year)
    return {
        "influenced_revenue": infl,
        "sourced_revenue": f("sourced_revenue"),
        "ttm_revenue": p.ttm(q),
        "yoy_growth": None if growth is None else growth - 1,
        "deal_registration_rate": ratio(f("deals_registered"), f("deals_total")),
        "win_rate": ratio(f("competitive_wins"), f("competitive_deals")),
        "certified_staff_share": ratio(f("certified_staff"), f("staff")),
        "certification_hours": hours,
        "satisfaction": f("satisfaction"),
        "joint_csat": f("joint_csat"),
        "integration_adoption": ratio(f("customers_with_integration"), f("customers")),
        "mdf_utilization": ratio(f("mdf_spent"), f("mdf_approved")),
        "partner_share": None,  # filled in once every partner's ttm is known
    }


def compute(root, quarter_arg, roi_reading="paired"):
    data = os.path.join(root, "data")
    with open(os.path.join(data, "program.toml"), "rb") as fh:
        program = tomllib.load(fh)
    partners = []
    pdir = os.path.join(data, "partners")
    for name in sorted(os.listdir(pdir)):
        if name.endswith(".toml"):
            with open(os.path.join(pdir, name), "rb") as fh:
                partners.append(Partner(name[:-5], tomllib.load(fh)))

    if quarter_arg:
        q = parse_quarter(quarter_arg)
    elif program.get("report_quarter"):
        q = parse_quarter(program["report_quarter"])
    else:
        q = max(qq for p in partners for qq in p.by_quarter)

    targets = program.get("targets", {})
    end_q = quarter_end(q)
    end_q4 = quarter_end(quarter_minus(q, 4))
    active = [p for p in partners if active_at(p.doc, end_q)]

    # --- partners
    kpis = {p.slug: partner_kpis(p, q) for p in partners}
    share_den = sum_present(kpis[p.slug]["ttm_revenue"] for p in active)
    for p in active:
        kpis[p.slug]["partner_share"] = ratio(kpis[p.slug]["ttm_revenue"], share_den)
    out_partners = {}
    for p in partners:
        st = {k: status(kpis[p.slug][k], targets.get(t), hi) for k, (t, hi) in PARTNER_TARGETS.items()}
        out_partners[p.slug] = {"name": p.doc["name"], "tier": p.tier,
                                "kpis": kpis[p.slug], "status": st}

    # --- program
    company = {parse_quarter(c["quarter"]): c for c in program.get("company", [])}
    comp = company.get(q, {})
    at_q = lambda key: sum_present(p.field(q, key) for p in partners)  # noqa: E731

    # AMBIGUOUS: tier-1 partners with a null ttm_revenue are left out of the mean.
    tier1 = [kpis[p.slug]["ttm_revenue"] for p in active if p.tier == 1]
    tier1 = [v for v in tier1 if v is not None]
    spr = sum(tier1) / len(tier1) if tier1 else None

    recs = [p.field(q, "recommend") for p in active]
    recs = [r for r in recs if r is not None]
    nps = None
    if recs:
        promoters = sum(1 for r in recs if r >= 9)
        detractors = sum(1 for r in recs if r <= 6)
        nps = 100 * promoters / len(recs) - 100 * detractors / len(recs)

    was_active = [p for p in partners if active_at(p.doc, end_q4)]
    retention = None
    if was_active:
        retention = sum(1 for p in was_active if active_at(p.doc, end_q)) / len(was_active)

    year_quarters = [(q[0], n) for n in range(1, q[1] + 1)]
    cells = [(p.field(yq, "sourced_revenue"), p.field(yq, "influenced_revenue"))
             for p in partners for yq in year_quarters]
    attribution = program.get("influenced_attribution", 0.5)
    # AMBIGUOUS: see "roi numerator" in the module docstring.
    if roi_reading == "separate":
        s_sum = sum_present(s for s, _ in cells)
        i_sum = sum_present(i for _, i in cells)
        numerator = None
        if s_sum is not None or i_sum is not None:
            numerator = (s_sum or 0) + attribution * ((i_sum or 0) - (s_sum or 0))
    else:
        s_sum = sum_present(s for s, _ in cells)
        d_sum = sum_present(i - s for s, i in cells if s is not None and i is not None)
        numerator = None
        if s_sum is not None or d_sum is not None:
            numerator = (s_sum or 0) + attribution * (d_sum or 0)
    investment = {inv["year"]: inv for inv in program.get("investment", [])}
    roi = None
    roi_target = None
    if numerator is not None:
        inv = investment.get(q[0])
        if inv is not None:
            total = sum(inv.get(k, 0) for k in
                        ("partner_development", "marketing", "technical_integration", "channel_support"))
            roi = ratio(numerator, total)
    roi_list = targets.get("roi", [])
    if investment and roi_list:
        program_year = q[0] - min(investment) + 1
        if program_year >= 1:
            roi_target = roi_list[min(program_year, len(roi_list)) - 1]

    pk = {
        "influenced_share": ratio(at_q("influenced_revenue"), comp.get("revenue")),
        "sourced_share": ratio(at_q("sourced_revenue"), comp.get("revenue")),
        "strategic_partner_revenue": spr,
        "lead_share": ratio(at_q("leads"), comp.get("leads")),
        "nps": nps,
        "retention": retention,
        "roi": roi,
    }
    pst = {k: status(pk[k], targets.get(k), True) for k in PROGRAM_TARGETS}
    pst["roi"] = status(roi, roi_target, True)

    limit = targets.get("max_partner_share")
    over = sorted(p.slug for p in partners
                  if limit is not None and kpis[p.slug]["partner_share"] is not None
                  and kpis[p.slug]["partner_share"] > limit)

    best = None
    best_key = None
    for p in active:
        on = sum(1 for s in out_partners[p.slug]["status"].values() if s == "on_track")
        infl = kpis[p.slug]["influenced_revenue"]
        # sort key: more on_track, then higher influenced (null lowest), then slug ascending
        # AMBIGUOUS: a null influenced revenue ranks below any number.
        key = (-on, 0 if infl is not None else 1, -(infl or 0), p.slug)
        if best_key is None or key < best_key:
            best, best_key = p.slug, key

    return {
        "quarter": quarter_text(q),
        "partners": out_partners,
        "program": {"kpis": pk, "status": pst, "over_concentrated": over,
                    "partner_of_the_quarter": best, "roi_target": roi_target},
    }


def main(argv):
    args = argv[1:]
    roi_reading = "paired"
    if args and args[0].startswith("--roi="):
        roi_reading = args.pop(0)[len("--roi="):]
    if len(args) not in (1, 2) or roi_reading not in ("paired", "separate"):
        print(__doc__, file=sys.stderr)
        return 2
    result = compute(args[0], args[1] if len(args) == 2 else None, roi_reading)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
