"""The wave/raid policy on its own: asks, answers and silence in, decisions out."""

from __future__ import annotations

from bot.gate.waves import Change, Mode, WavePolicy, WavePolicyConfig

CONFIG = WavePolicyConfig(
    ask_window=15,
    silent_after=30,
    raid_valid_share=0.3,
    raid_min_outcomes=10,
    raid_probe_dms=5,
    raid_probe_seconds=60,
    raid_resume_valid=3,
)


def ask_all(policy: WavePolicy, users: range, now: int) -> list[int]:
    asked = []
    for user in users:
        if policy.may_ask(now):
            policy.asked(user, now)
            asked.append(user)
    return asked


def test_a_raid_costs_at_most_the_window_and_the_probes() -> None:
    policy = WavePolicy(CONFIG)
    asked = ask_all(policy, range(300), now=0)
    assert len(asked) == 15  # nobody answers: the window never opens further
    assert policy.expire(10) is None  # not silent yet
    assert policy.expire(31) is Change.RAID_STARTED
    assert policy.mode is Mode.RAID
    assert policy.status().valid == 0 and policy.status().resolved == 15
    probes = 0
    for now in range(31, 400):  # the rest of everyone's 5 minutes, second by second
        probes += len(ask_all(policy, range(1000 + now, 1001 + now), now))
        policy.expire(now)
    assert probes == 5
    assert policy.mode is Mode.RAID


def test_a_wave_opens_the_window_one_slot_per_valid_answer() -> None:
    policy = WavePolicy(CONFIG)
    first = ask_all(policy, range(100), now=0)
    assert first == list(range(15))
    for user in first:
        assert policy.answered(user, valid=True, now=1) is None
    # 15 answered: their 15 slots are free and the window is 30 wide.
    assert policy.window == 30
    assert len(ask_all(policy, range(100, 200), now=1)) == 30
    assert policy.mode is Mode.WAVE


def test_a_mixed_crowd_stays_a_wave() -> None:
    policy = WavePolicy(CONFIG)
    now = 0
    for i in range(400):
        now = i // 30
        user = i
        if not policy.may_ask(now):
            policy.expire(now)
        assert policy.may_ask(now), i
        policy.asked(user, now)
        if i % 4 == 3:
            continue  # a raider among the fans: never answers
        policy.answered(user, valid=True, now=now)
    policy.expire(now + 31)
    assert policy.mode is Mode.WAVE


def test_wrong_codes_count_once_per_ask_and_unasked_wrong_codes_not_at_all() -> None:
    policy = WavePolicy(CONFIG)
    ask_all(policy, range(10), now=0)
    for user in range(10):
        policy.answered(user, valid=False, now=1)
        policy.answered(user, valid=False, now=1)  # a second try is not a second outcome
    assert policy.status().resolved == 10
    assert policy.mode is Mode.RAID
    assert policy.answered(999, valid=False, now=2) is None
    assert policy.status().resolved == 10


def test_valid_codes_in_a_row_end_a_raid() -> None:
    policy = WavePolicy(CONFIG)
    ask_all(policy, range(15), now=0)
    assert policy.expire(31) is Change.RAID_STARTED
    assert not policy.may_ask(40)  # the first probe waits one probe interval
    assert policy.answered(500, valid=True, now=41) is None
    assert policy.answered(501, valid=False, now=42) is None  # unasked: ignored
    assert policy.answered(502, valid=True, now=43) is None
    assert policy.answered(503, valid=True, now=44) is Change.RAID_ENDED  # the third in a row
    assert policy.mode is Mode.WAVE
    assert policy.may_ask(44)


def test_restore_rebuilds_mode_and_open_asks() -> None:
    policy = WavePolicy(CONFIG)
    policy.restore([(u, 90, "silent") for u in range(12)] + [(7, 100, None)], now=100)
    assert policy.mode is Mode.RAID
    assert policy.is_outstanding(7)
    fresh = WavePolicy(CONFIG)
    fresh.restore([(u, 90, "valid") for u in range(12)], now=100)
    assert fresh.mode is Mode.WAVE and fresh.status().valid == 12
