import pytest

from gkcli.domain.records import Unit, UnitGroup
from gkcli.domain.registry import Registry
from gkcli.domain.units import UnitDirectory, resolve_across, same_units
from gkcli.errors import AmbiguousUnit, UnknownUnit


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("县财政局", "县财政局"),
        ("县文广旅体局", "县文化和广电旅游体育局"),
        ("县政务服务办", "县政务服务办公室"),
        ("县网信办", "县委宣传部(县网信办)"),
        ("县委宣传部", "县委宣传部(县网信办)"),
        ("县委宣传部(县网信办)", "县委宣传部(县网信办)"),  # full-width brackets
        ("菜园镇", "菜园镇人民政府"),
        (" 花鸟乡 ", "花鸟乡人民政府"),
        ("各乡镇", "各乡镇人民政府"),
        ("成员单位", "县政务公开领导小组成员单位"),
    ],
)
def test_names_resolve_through_aliases_and_short_names(registry: Registry, name: str, canonical: str) -> None:
    assert registry.directory.resolve(name).name == canonical


def test_unknown_names_suggest_close_ones(registry: Registry) -> None:
    with pytest.raises(UnknownUnit) as caught:
        registry.directory.resolve("县财政")
    assert caught.value.suggestions[0] == "县财政局"
    assert "县财政局" in (caught.value.hint or "")


def test_a_misspelt_name_suggests_the_right_one(registry: Registry) -> None:
    assert "县卫生健康局" in registry.directory.suggest("县卫生健局")


def test_nothing_close_gives_no_suggestion(registry: Registry) -> None:
    assert registry.directory.suggest("zzzz") == []


def test_groups_expand_to_their_members(registry: Registry) -> None:
    members = registry.directory.expanded_members("县属有关单位")
    assert len(members) == 31
    assert "县财政局" in members
    assert "菜园镇人民政府" not in members
    assert len(registry.directory.expanded_members("各乡镇人民政府")) == 7


def test_groups_of_unknown_membership_expand_to_nothing(registry: Registry) -> None:
    entity = registry.directory.resolve("市级有关单位")
    assert entity.is_group and not entity.members_known
    assert registry.directory.expanded_members("市级有关单位") == frozenset()


def test_nested_groups_expand_and_cycles_stop() -> None:
    directory = UnitDirectory(
        [Unit(name="甲", kind="department"), Unit(name="乙", kind="department")],
        [
            UnitGroup(name="外", members=("内", "甲")),
            UnitGroup(name="内", members=("乙", "外")),
        ],
    )
    assert directory.expanded_members("外") == {"内", "甲", "乙", "外"}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("县发改局", "县发展和改革局"),
        ("县住建局", "县住房和城乡建设局"),
        ("县人社局", "县人力资源和社会保障局"),
        ("县卫健局", "县卫生健康局"),
        ("县府办", "县政府办公室"),
        ("财政局", "县财政局"),  # without the county prefix
        ("住建局", "县住房和城乡建设局"),
        ("czj", "县财政局"),  # pinyin initials
        ("caizhengju", "县财政局"),  # whole pinyin
        ("xczj", "县财政局"),
        ("CZJ", "县财政局"),
        ("县市场监管局", "县市场监督管理局"),
        ("县市监局", "县市场监督管理局"),
        ("市监局", "县市场监督管理局"),  # an abbreviation without the county prefix
        ("县文旅局", "县文化和广电旅游体育局"),  # characters of the name, in order, first and last kept
        ("县农业局", "县农业农村局"),
        ("县执法局", "县综合行政执法局"),
        ("县政务办", "县政务服务办公室"),
        ("县财局", "县财政局"),
        ("县环保局", "市生态环境局嵊泗分局"),  # what people call it, an alias in units.yaml
        ("县人行", "人行县支行"),
    ],
)
def test_names_as_people_type_them(registry: Registry, typed: str, meant: str) -> None:
    assert registry.directory.resolve(typed).name == meant


def test_a_name_that_could_mean_two_units_is_an_error_listing_both() -> None:
    directory = UnitDirectory([Unit(name="县甲局", kind="department"), Unit(name="县佳局", kind="department")], [])
    with pytest.raises(AmbiguousUnit) as caught:
        directory.resolve("jiaju")
    assert set(caught.value.candidates) == {"县甲局", "县佳局"}
    assert directory.resolve("县甲局").name == "县甲局"  # the written name is never ambiguous


def test_an_abbreviation_that_fits_two_units_is_ambiguous_and_a_name_out_of_order_is_unknown() -> None:
    directory = UnitDirectory(
        [Unit(name="县市场监督管理局", kind="department"), Unit(name="县市政监察管理局", kind="department")], []
    )
    with pytest.raises(AmbiguousUnit) as caught:
        directory.resolve("县市监局")
    assert set(caught.value.candidates) == {"县市场监督管理局", "县市政监察管理局"}
    with pytest.raises(UnknownUnit):
        directory.resolve("县监市局")  # the characters out of order
    with pytest.raises(UnknownUnit):
        directory.resolve("县市场监督管理所")  # another last character: another kind of body


def _plan_units(*units: Unit) -> UnitDirectory:
    return UnitDirectory(units, ())


def test_same_as_follows_a_unit_renamed_twice_across_three_plans() -> None:
    """2021 县旅游局, 2022 县文旅局 (declares the old name), 2023 县文旅体局 declared in 2022's units as
    its later name: asked by any of the three names, each plan gives its own name for the body."""
    plans = [
        _plan_units(Unit("县旅游局", "department"), Unit("县财政局", "department")),
        _plan_units(Unit("县文旅局", "department", same_as=("县旅游局", "县文旅体局"))),
        _plan_units(Unit("县文旅体局", "department"), Unit("县旅游局", "department", aliases=("旧称",))),
    ]
    for asked in ("县旅游局", "县文旅局", "县文旅体局"):
        found = resolve_across(plans, asked)
        names = [e.name if e else None for e in found]
        # 2023 also has a unit named 县旅游局 (made up): asked by that name, 2023 answers with it
        expected_2023 = "县旅游局" if asked == "县旅游局" else "县文旅体局"
        assert names == ["县旅游局", "县文旅局", expected_2023], asked


def test_same_as_leaves_plans_that_know_neither_name_out_and_unknown_everywhere_is_the_error() -> None:
    plans = [_plan_units(Unit("县财政局", "department")), _plan_units(Unit("县文旅局", "department"))]
    assert [e.name if e else None for e in resolve_across(plans, "县财政局")] == ["县财政局", None]
    with pytest.raises(UnknownUnit):
        resolve_across(plans, "县统计局")


def test_same_units_names_a_renamed_unit_by_its_newest_name() -> None:
    """Plans oldest first: 2021 县旅游局, 2022 县文旅局 (declares the old name), 2023 县文旅体局
    (declares 2022's name): every name of the chain maps to 2023's; unlinked names are left out."""
    plans = [
        _plan_units(Unit("县旅游局", "department"), Unit("县财政局", "department")),
        _plan_units(Unit("县文旅局", "department", same_as=("县旅游局",))),
        _plan_units(Unit("县文旅体局", "department", same_as=("县文旅局",))),
    ]
    assert same_units(plans) == {"县旅游局": "县文旅体局", "县文旅局": "县文旅体局", "县文旅体局": "县文旅体局"}
    assert same_units(plans[:2]) == {"县旅游局": "县文旅局", "县文旅局": "县文旅局"}
