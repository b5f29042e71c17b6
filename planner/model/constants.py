"""Hold every default policy number, with its unit and source, in one place.

Each constant carries an attribute docstring naming its unit and the reliability tag
of `domain-rules.md` (A official, B secondary, C vendor/anecdote, D derived). The
`Policy` dataclass in :mod:`planner.model.policy` uses these as defaults and
``policy.toml`` overrides them; no other module holds a policy number.
"""

from __future__ import annotations

# --- Round timing -----------------------------------------------------------------

WINDOW_START = "08:00"
"""Local start of the sampling window (HH:MM). Planning choice."""

WINDOW_HOURS = 6.0
"""Sampling window length, hours. 3rd-ed. guide: ≤6 h in principle [B] (§1.1)."""

MAX_WINDOW_HOURS = 12.0
"""Hard cap on the sampling window, hours. 3rd-ed. guide: ≤12 h if difficult [B]."""

SLOT_MINUTES = 30
"""Length of one appointment slot, minutes. Planning choice."""

ROUNDS_PER_DAY = 1
"""Screening rounds per day at full load. 2022-11 实施办法: 1 round/day [A]."""

CLOSING_BUFFER_MIN = 30
"""Minutes at the end of the window in which no household is booked (a closing buffer):
late-comers of the last booked slot (up to ``drill.late_max_min`` = 20 min after it)
are still sampled inside the window. One 30-minute slot by default [D]."""

# --- Sampling rates and sizing ----------------------------------------------------

SAMPLER_RATE_PER_H = 60.0
"""People per sampler-hour for pooled sampling. 3rd-ed. ÷360 over 6 h [B/D] (§1.2)."""

SINGLE_TUBE_RATE_PER_H = 40.0
"""People per sampler-hour for single-tube (1:1) sampling, slower per-tube labelling.
No official figure; planning default, overridable [D]."""

MAX_SUSTAINED_RATE_PER_H = 125.0
"""Highest sustained rate observed, people per sampler-hour (Jinhu) [B]; above it we warn."""

SAMPLERS_PER_DESK = 1
"""Samplers swabbing at one desk at the same time. 1 desk ≈ 1 sampler on duty [D]."""

MAX_PEOPLE_PER_SITE = 3000
"""People assigned to one site, upper target. NHC 2022-05-13: 2,000–3,000 per site [A]."""

MAX_PEOPLE_PER_DESK = 800
"""People per desk per round, upper target. NHC 2022-05-13: 600–800 per desk [A]."""

GUIDE_PEOPLE_PER_SAMPLER = 360
"""People per sampler for a 6 h round: samplers = population ÷ 360 (3rd ed.) [B]."""

GUIDE_WINDOW_HOURS = 6.0
"""Window the ÷360 rule is stated for, hours: 360 = 60 people per sampler-hour × 6 h
(3rd ed. [B], decomposition [D], domain-rules §1.2). For a window of H hours the
guideline is ``ceil(P / (360 × H / 6))`` (:func:`planner.planning.norms.guideline_samplers`)."""

# --- Pooling ----------------------------------------------------------------------

DEFAULT_POOL_SIZE = 10
"""People per tube for the general population (10:1). 1st–3rd eds. [A/B]."""

ALLOWED_POOL_SIZES = (1, 5, 10, 20)
"""Pool sizes in use; 20:1 national spec 2022-01-17 [A]."""

KEY_GROUP_POOL_SIZE = 1
"""Key groups are single-tubed (一人一管). 2nd ed. and seeds [A]."""

# --- Walking and queues -----------------------------------------------------------

WALK_SPEED_M_PER_MIN = 70.0
"""Walking speed, metres per minute (4.2 km/h, a mixed-age crowd). Planning default [D]."""

DETOUR_FACTOR = 1.3
"""Street distance ÷ straight-line distance in a dense urban grid. Planning default [D]."""

WALK_LIMIT_MIN = 15.0
"""Longest walk to the site, minutes. 15-minute 采样圈, NHC 2022-05 [A]."""

RURAL_WALK_LIMIT_MIN = 30.0
"""Walk limit in mountainous/rural grids, minutes. Beijing 2022-07 draft [A]."""

# --- Access and equity (who walks how far) ----------------------------------------

OLDER_AGE = 60
"""Age from which a resident counts as older (老年人), years. PRC Law on the Protection of
the Rights and Interests of Older Persons, art. 2 [A]."""

OLDEST_AGE = 75
"""Age from which a resident counts among the oldest, years; the report's second older
group. Planning choice [D]."""

CHILD_AGE = 6
"""Children under this age make their household a household with young children,
years (学龄前儿童). Planning choice [D]."""

ACCESS_THRESHOLDS_MIN = (5, 10, 15)
"""Walks the access report counts people beyond, minutes: the 5/10/15-minute circles
of the 15-minute 采样圈 (NHC 2022-05) and of the 15-minute living circle [A/D]."""

OLDEST_WALK_LIMIT_MIN = 10.0
"""Longest walk for residents aged ``OLDEST_AGE`` or more, minutes: the limit the gap
list holds them to, and the tighter cap the older-walk planning option applies.
Planning choice (the 10-minute circle) [D]."""

EDE_AVERSION = -1.0
"""Inequality aversion ε of the Kolm–Pollak EDE of walks (negative: a walk is a burden);
κ = ε·Σx/Σx² (Logan et al. 2021; Horton et al., arXiv 2401.15452). Planning choice
[D]: −1 is a moderate aversion; 0 would be the plain mean."""

ACCESS_OBJECTIVES = ("walk", "ede", "older_cap")
"""What the location model minimises for walking: total person-minutes (``walk``),
the Kolm–Pollak EDE through its linear proxy (``ede``), or total person-minutes with
the walk of residents aged ``OLDEST_AGE`` or more capped at ``OLDEST_WALK_LIMIT_MIN``
where a site can do it (``older_cap``)."""

MAX_QUEUE_WAIT_MIN = 20.0
"""Longest predicted queue wait, minutes (emergency round). 3rd ed. [B]."""

QUEUE_SPACING_M = 1.0
"""Distance between people in the queue, metres (1米线) [B]."""

DESK_SPACING_M = 3.0
"""Distance between desks, metres (采样3米间隔) [B]."""

# --- Door-to-door -----------------------------------------------------------------

HOME_VISIT_MIN_PER_HOUSEHOLD = 10.0
"""Minutes at the door per household: swab, labelling, glove change [D]."""

HOME_VISIT_PPE_CHANGE_MIN = 15.0
"""Minutes per household to change the full PPE set: the field practice is a full
change per household, doffing ≈15–20 min (2020 field report, domain-rules §1.3) [B];
the lower end, donning the next set being done on the way."""

HOME_VISIT_MIN_PER_EXTRA_PERSON = 1.0
"""Extra minutes per further resident of a household: gloves are changed per person
(domain-rules §1.3) [B/D]."""

HOME_VISIT_RESERVE_MIN = 75.0
"""Minutes each door-to-door route keeps free at the end of the window, so a team
running late on the day still finishes in it [D]. A team never knocks before the time
it announced, so a late stop delays the rest: with visits varying by σ ≈ 7 min
(``drill.home_service_cv`` on ≈25 min, plus the delay at the door) a 9-stop route ends
≈20 min late on average and, in 1 day of 100, over 60 min; with 100+ teams on a street
every one must be on time (demo drill, 200 days: 60 min gives 0.89, 75 min 0.99). The
certification run raises it when teams are still late."""

HOME_VISIT_SERVICE_CV = 0.25
"""Coefficient of variation of a door-to-door visit's time. Most of a visit is the
fixed PPE procedure, so it varies less than one swab (``service_cv``) [D]."""

HOME_VISIT_TEAM_SIZE = 2
"""People per door-to-door team: one sampler, one registrar [D]."""

# --- Staff ------------------------------------------------------------------------

SHIFT_HOURS = 4.0
"""Longest continuous work in full PPE, hours [B]."""

HEAT_SHIFT_HOURS = 2.0
"""Longest continuous work in heat, hours. NHC 2022-06 防暑降温指南 [A]."""

HEAT_AVOID_FROM = "11:00"
"""Start of the hours outdoor sampling avoids in heat mode (HH:MM) [A]."""

HEAT_AVOID_TO = "15:00"
"""End of the hours outdoor sampling avoids in heat mode (HH:MM) [A]."""

MIN_REST_HOURS = 1.0
"""Rest between two shifts of one person, hours. Planning default [D]."""

ROSTER_PERIOD_MINUTES = 60
"""The roster's time grid, minutes: posts are filled period by period, and a person
works consecutive periods as one shift. One hour lets the relief of a desk be
staggered (a sampler rests while another covers the desk) [D]."""

SHIFTS_PER_DAY = 2
"""Shifts one person in full PPE may work in a day, each in a fresh PPE set with a
rest between them (the 4 h limit is for continuous work in PPE) [D]."""

MAX_HOURS_PER_DAY = 8.0
"""Most working hours of one person in a day (two 4 h PPE shifts) [D]."""

SUPPORT_PER_SAMPLER = 3.0
"""Support staff per sampler at walk-up sites; observed 2.9–4.3 [D]."""

# --- Transport --------------------------------------------------------------------

PICKUP_INTERVAL_H = 2.0
"""Longest interval between sample pick-ups at a site, hours [B]."""

COLLECTION_TO_LAB_MAX_H = 2.0
"""Longest time from pick-up to lab, hours (Shanghai Hongkou) [B]."""

SITES_PER_VEHICLE = 3
"""Sites served by one transport vehicle (Zhengzhou ≈0.31 vehicle per site) [D]."""

TUBE_TO_LAB_MAX_H = 4.0
"""Longest time from a tube's swab to the lab, hours: samples keep at room temperature
for about 4 h and are delivered in 2–4 h (NHC lab guide for SARS-CoV-2 nucleic-acid
testing, reprint; guidance-audit R51) [B]. Walk-up and door-to-door tubes alike."""

RESULTS_WITHIN_H = 24.0
"""Sampling and testing of the area done within this many hours of the START of
sampling, hours. 3rd-ed. guide: 24 h for the whole task (guidance-audit R3, R54) [A]."""

LAB_RESULT_H = 6.0
"""Hours from a tube's intake at the lab to its result when the labs table gives none
(NHC 2022-04: results generally within 6 h) [A]."""

LAB_TUBES_PER_H = 0.0
"""Tubes per hour the lab takes in when the labs table gives none; 0 = not limited (the
street's lab capacity is not known to the planner) [D]."""

VEHICLES_PER_SITE_MIN = 1 / 3
"""Fewest sample vehicles per walk-up site the check accepts: rule 13, about one
vehicle per 3 sites (Zhengzhou ≈0.31 per site); a plan needs at least
``ceil(sites / 3)`` vans calling at sites [D]."""

# --- Drills (simulation assumptions) -------------------------------------------------
# No published figures exist for these; they are planning assumptions [D] to be
# calibrated from a street's own drills (domain-rules §2: "Service time per swab …
# not found"; BERM advises 10–20 % downtime, §5).

SERVICE_CV = 0.4
"""Coefficient of variation of one swab's desk time (lognormal around the policy
rate; the mean is the policy's cycle, so a drill and a plan agree on average) [D]."""

SCAN_RATE_PER_H = 240.0
"""People per registrar-hour scanning codes (≈15 s each), done beside the desk; the
desk's cycle is the slower of scan and swab [D]."""

TUBE_CLOSE_MIN = 0.5
"""Minutes to cap, label and rack a full pooled tube, part of the policy cycle [D]."""

EARLY_SHARE = 0.25
"""Share of booked households arriving before their slot [D]."""

EARLY_MAX_MIN = 15.0
"""How early they come at most, minutes (uniform) [D]."""

LATE_SHARE = 0.10
"""Share of booked households arriving after their slot [D]."""

LATE_MAX_MIN = 20.0
"""How late they come at most, minutes after the slot's end (uniform) [D]."""

NO_SHOW_SHARE = 0.03
"""Share of booked households that do not come (away, already sampled elsewhere) [D]."""

OTHER_SLOT_SHARE = 0.05
"""Share of booked households that come in another slot of the same site [D]."""

HANDOVER_MIN = 5.0
"""Minutes a desk stops at a shift change (PPE on/off, handover); half the desks
change at the boundary, the other half right after, so a site never stops [D]."""

PICKUP_DELAY_MEAN_MIN = 5.0
"""Mean random delay of a transport vehicle per stop, minutes (exponential) [D]."""

VAN_ROUND_MIN = 60.0
"""A sample van starts a round of its sites this often, minutes: half the
2-hour pick-up rule, so a round's drives and delays stay inside it [D]."""

VAN_WAIT_MAX_MIN = 15.0
"""Longest a sample van waits at a hand-over for a door-to-door team running late,
minutes: then it goes on with the tubes on board and meets the team later, where it
is, so one late team does not age a whole van's tubes [D]."""

DRIVE_SPEED_KM_PER_H = 20.0
"""Urban driving speed of a sample vehicle between sites, km/h [D]."""

LAB_DRIVE_MIN = 30.0
"""Drive from a street's last pick-up to the lab, minutes [D]."""

HOME_DELAY_MEAN_MIN = 3.0
"""Mean extra delay per door-to-door stop (finding the door, waiting), minutes [D]."""

NOTICE_MIN = 30.0
"""Lead time to tell residents of a changed site or slot after a disruption, minutes
(grid workers phone or message each household) [D]."""

RAIN_RATE_FACTOR = 0.7
"""Share of the normal rate an outdoor desk keeps in rain, when a drill does not say [D]."""

SURGE_SHARE = 0.3
"""Extra walk-ins during a surge, as a share of the people booked there, when a drill
does not say [D]."""

REPLAN_MOVE_COST = 30.0
"""Cost of moving one person to another site in a re-plan, person-minutes of walking
(so the re-plan keeps people where they are unless they must move) [D]."""

# --- Certification (the drill run at the end of `planner plan`) ----------------------

CERTIFY_REPLICATIONS = 40
"""Drill replications of the certification run: enough to tell 0.90 from 0.75
(binomial standard error ≈ 0.05 at 40), few enough to keep planning fast [D]."""

CERTIFY_MAX_ATTEMPTS = 4
"""Plans tried at most (the first plus re-plans with the street office's levers) [D]."""

CERTIFY_P_FINISH_MIN = 0.90
"""Target: chance that everyone is sampled inside the window, at least [D]."""

CERTIFY_P_QUEUE_OVER_MAX = 0.10
"""Target: chance that some site-slot's mean wait passes the queue limit, at most [D]."""

CERTIFY_P_TEAMS_MIN = 0.90
"""Target: chance that every door-to-door team finishes inside the window, at least [D]."""

# --- Norms the plan is explained against ---------------------------------------------

NORM_PEOPLE_PER_DESK = (600, 800)
"""One desk per 600–800 residents (NHC, Guo Yanhong 2022-05-13) [A]."""

NORM_PEOPLE_PER_SITE = (2000, 3000)
"""One site per 2,000–3,000 residents (NHC 2022-05-13; 3rd ed.) [A]."""

NORM_PEOPLE_PER_SAMPLER_DAY = (280, 510)
"""People per sampler per day observed in 8 campaigns (domain-rules §6: 278–513) [D]."""

# --- Stock ------------------------------------------------------------------------

STREET_RESERVE_DAYS = 15
"""Street/town reserve: 15 days of full-load operation (seed 001) [B]."""

HEALTH_CENTER_RESERVE_DAYS = 15
"""Health centre reserve of the street's screening supplies: the street's 15 days of
full-load operation (seed 001, 十个“一”之(九)) [B]. The 30-day rule of seed 001 is
a *hospital's* (医院常态化防控方案: the hospital's own wards and clinics at full load,
二级以上 hospitals in the Shaanxi briefing); a community health centre (社区卫生服务
中心/卫生院) keeping the street's sampling kit holds it for the street's operation,
and seed 001's health-centre section (乡卫生院) names no number [D]."""

HOSPITAL_RESERVE_DAYS = 30
"""Hospital reserve: 30 days of full-load operation (seed 001; Shaanxi 2022) [B]."""

SCREENING_ITEMS = ("采样拭子", "采样管")
"""Items (by name prefix) that are the screening's test consumables — swabs and tubes —
rather than 防疫物资 (PPE, disinfectant, hand sanitiser: the seed's 15-day list) [B]."""

SCREENING_RESERVE_ROUNDS = 4
"""Full-population rounds of swabs and tubes held in stock. A full-load screening is
one round a day until three rounds in a row find no community case, then one more
after three days, then it stops (2022-11 实施办法) [A]: four rounds, inside the 15-day
horizon. Holding 15 (or 30) *daily full-population rounds* of swabs is not what any
source says: seed 001's 15-day list is 防疫物资 (disinfectant, PPE, sanitiser, wipes,
thermometers), and swabs burn per round, not per day of operation [D]."""

MIN_BURN_RATE_DAYS = 2
"""Consecutive dated counts needed to estimate a burn rate (CDC calculator) [A]."""

# --- Geography checks -------------------------------------------------------------

CHINA_LON_RANGE = (73.4, 135.1)
"""Longitudes of mainland China, degrees east (bounding box)."""

CHINA_LAT_RANGE = (18.1, 53.6)
"""Latitudes of mainland China, degrees north (bounding box)."""

FAR_FROM_STREET_M = 5000.0
"""A point farther than this from the street's median location is flagged, metres."""

# --- Bill of materials ----------------------------------------------------------------

SUPPLY_BUFFER = 0.10
"""Extra share on every consumable for breakage and re-sampling. Planning default [D]."""

DEFAULT_BOM: tuple[tuple[str, str, str, float, str], ...] = (
    # (item, unit, per, quantity, holder)
    ("采样拭子", "支", "person", 1.0, "health_center"),  # 1 swab per person [A]
    ("采样管(单采)", "支", "tube_single", 1.0, "health_center"),  # 1:1 tubes [A]
    ("采样管(混采)", "支", "tube_pool", 1.0, "health_center"),  # Σ ceil(group/N) [A]
    ("医用防护服", "套", "sampler_shift", 1.0, "health_center"),  # 1 set per shift [B]
    (
        "医用防护服",
        "套",
        "home_visit_household",
        1.0,
        "health_center",
    ),  # per household [B]
    ("医用防护口罩(N95)", "个", "sampler_shift", 1.0, "street"),  # [B/C]
    ("医用防护口罩(N95)", "个", "support_shift", 1.0, "street"),  # [D]
    ("医用防护口罩(N95)", "个", "home_visit_household", 1.0, "street"),  # [B]
    ("隔离衣", "件", "support_shift", 1.0, "street"),  # registrars, keepers [C]
    ("面屏", "个", "sampler_shift", 1.0, "health_center"),  # [C]
    ("面屏", "个", "home_visit_household", 1.0, "health_center"),  # [B]
    ("乳胶手套", "副", "sampler_shift", 2.0, "health_center"),  # double gloves [C]
    ("乳胶手套", "副", "person", 0.1, "health_center"),  # outer glove changes [D]
    ("乳胶手套", "副", "home_visit_household", 2.0, "health_center"),  # [B]
    ("鞋套", "双", "sampler_shift", 1.0, "health_center"),  # [C]
    ("鞋套", "双", "home_visit_household", 1.0, "health_center"),  # [B]
    ("手消毒液", "瓶", "site_day", 2.0, "street"),  # hand hygiene station [C]
    ("手消毒液", "瓶", "person", 0.002, "street"),  # ≈ 1 × 500 ml per 500 swabs [D]
    ("医疗废物袋", "个", "site_day", 4.0, "street"),  # ≥ 2 × 60 L bins [B]
    ("转运箱", "个", "site_reusable", 1.0, "street"),  # counted, not burned [B]
    ("含氯消毒片", "瓶", "site_day", 1.0, "street"),  # site disinfection [B]
)
"""Default bill of materials: what one unit of each driver consumes, and who stocks it.

Drivers: ``person`` swabbed, ``tube_single`` and ``tube_pool`` tubes used,
``sampler_shift`` and ``support_shift`` staff shifts, ``home_visit_household``
households visited (a full PPE change each), ``site_day`` open sites per round. The
pooled tube's name gets the pool size (``采样管(10混1)``). ``site_reusable`` and
``team_reusable`` lines are equipment (transport boxes, tents, tables, thermometers):
counted per open site or team once, not burned per day. Sources: domain-rules §3."""

REUSABLE_DRIVERS = ("site_reusable", "team_reusable")
"""Bill-of-materials drivers of reusable equipment (counted, not burned)."""

# --- The screening day (planner serve) -------------------------------------------

QUEUE_BUSY_MIN = 25.0
"""Expected wait from which a site shows 忙碌 (busy), minutes. Shenzhen's public
site map, 2022: 畅通 under 25 min, 忙碌 from 25, 拥堵 from 50 [B]."""

QUEUE_JAMMED_MIN = 50.0
"""Expected wait from which a site shows 拥堵 (jammed), minutes. Shenzhen's public
site map, 2022 [B]."""

OPS_CODES_DAYS_AHEAD = 7
"""Furthest screening day access codes may be issued for, days after today (China
Standard Time). A round is announced a day or two ahead; a week covers a weekend and
a delayed round, while a code valid for years (or one already dead) is a mistake.
Office practice, not a guidance rule [C]."""

# --- Campaigns: several rounds over several days ---------------------------------

CAMPAIGN_ROUNDS = 3
"""Rounds of a campaign. 2nd-ed. guide: at least 3 rounds when the source is unknown [A]."""

CAMPAIGN_DAYS_BETWEEN_ROUNDS = 1
"""Days between rounds. 2nd-ed. guide: daily in streets with recent cases [A]."""

CAMPAIGN_MOVE_COST = 60.0
"""Cost of moving one person to another site between rounds, person-minutes of walking;
residents learn where to go, so a building keeps its site unless it must move [D]."""

CAMPAIGN_MAX_HOURS_PER_DAY = 8.0
"""Most working hours of one person in a day (two 4 h PPE shifts) [D]."""

CAMPAIGN_MIN_REST_BETWEEN_DAYS_H = 12.0
"""Rest between one working day's last shift and the next day's first, hours [D]."""

CAMPAIGN_MAX_CONSECUTIVE_DAYS = 6
"""Working days in a row before a day off [D]."""

CAMPAIGN_POSITIVITY = 0.001
"""Share of *people* positive in a round (per person); 10:1 and 5:1 pooling suit
low-risk screening at ≈0.1 % positivity (``domain-rules.md`` §1.4) [B]. A tube of
``k`` people is positive with chance ``1 − (1 − p)^k``
(:func:`planner.campaign.positives.tube_positive_share`): at 10:1 about 1 % of the
tubes, not 0.1 % [D]."""

CAMPAIGN_RESAMPLE_HOURS = 6.0
"""Hours within which a positive pool's households are re-sampled single-tube at home;
single-tube results come within 6 h (§1.4) [D]."""

CAMPAIGN_LEAD_TIME_DAYS = 2
"""Days from ordering consumables to delivery [D]."""

CAMPAIGN_ORDER_COVER_DAYS = 5
"""Days of full-load use an order adds on top of the reserve [D]."""

# --- Closing the round (issue 33: coverage, catch-up, positive pools) -------------

CATCHUP_FROM = "18:00"
"""Start of the same-day catch-up (补检) after the round, HH:MM: grid workers bring
the reasons back in the afternoon, teams go out after the sites close [D]."""

CATCHUP_TO = "22:00"
"""End of the same-day catch-up, HH:MM (the day's sampling ends within the day) [D]."""

CATCHUP_EVENING_SITE_MIN_PEOPLE = 120
"""Remaining people in a community from which an evening site (one desk works
≈ 40–60 swabs an hour for the window) is opened for its walk-up households instead
of visiting them all at home [D]."""

POSITIVE_RESPONSE_MIN = 60
"""Minutes from a positive pool's result to its people found and placed under
temporary control at home (seed plans: within the hour) [B]."""

# --- Closed compounds (封闭管理) and area statuses ----------------------------------------

COMPOUND_CLOSED_MANAGEMENT = False
"""封闭管理: when on, the residents of a compound with a candidate site inside it are
sampled at its own sites only, and those sites serve nobody else (a compound under
管控 may not send its residents out, nor let others in). Off by default: the demo
and most streets in 防范 sample across compounds [D, from the 管控区 rule 人不出区]."""

SEALED_FIRST_ROUND_H = 24.0
"""封控区: the first screening is done within 24 h of the area being designated
(NHC briefing 2022-06-09, ``domain-rules.md`` §1 sources) [A]."""

CONTROLLED_FIRST_ROUND_H = 48.0
"""管控区: the first screening is done within 48 h of designation (same source) [A]."""
