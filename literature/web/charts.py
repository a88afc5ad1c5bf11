"""Charts drawn on the server as SVG: no JavaScript library, readable in print and by screen readers
(each chart comes with the same numbers as a table). Every label is drawn inside the box: the plot
leaves a margin for the widest y-axis label on the left and half a year label on the right."""

from dataclasses import dataclass

DIGIT_WIDTH = 7  # px of one character of an 11 px label, generously
RIGHT = 18  # half of the last year's label, centred under its bar
TOP = 8  # half of the top y label, centred on its line
AXIS = 24  # the year labels under the plot


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    slot_x: float  # the column the bar stands in, the whole height: what a link covers
    slot_width: float
    url: str = ""  # where choosing the bar leads (the search page's histogram), if anywhere
    selected: bool = False  # its year is the filter in force


@dataclass
class BarChart:
    bars: list
    width: int
    height: int
    left: float  # the plot's edges
    top: float
    baseline: float
    maximum: int
    ticks: list  # (label, x) along the bottom axis
    levels: list  # (label, y) along the left axis

    @property
    def first_label(self):
        return self.bars[0].label

    @property
    def last_label(self):
        return self.bars[-1].label

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)

    @property
    def right(self):
        return self.width - RIGHT

    @property
    def plot_height(self):
        return self.baseline - self.top


def nice_step(maximum, levels=4):
    """The step of at most `levels` y-axis lines from 0 to `maximum`: 1, 2 or 5 times a power of ten."""
    raw = max(maximum / levels, 1)
    power = 1
    while power * 10 <= raw:
        power *= 10
    for multiple in (1, 2, 5, 10):
        if power * multiple >= raw:
            return power * multiple
    return power * 10  # unreachable: 10 * power > raw by the loop above


def publications_per_year(counts, width=640, height=180, max_ticks=8, urls=None, selected=()):
    """Bars for every year from the first to the last with publications (empty years as gaps);
    `urls` ({year: url}) makes each bar a link, `selected` (years) marks those in force."""
    years = [year for year in counts if year is not None]
    if not years:
        return None
    first, last = min(years), max(years)
    span = list(range(first, last + 1))
    maximum = max(counts.values())
    step = nice_step(maximum)
    top_level = -(-maximum // step) * step if maximum else 1  # the axis ends on a line at or above the tallest
    levels = list(range(0, top_level + 1, step))
    left = 4 + DIGIT_WIDTH * len(f"{top_level:,}") + 4  # room for the widest y label, right-aligned
    plot_width = width - left - RIGHT
    slot = plot_width / len(span)
    baseline = height - AXIS
    plot_height = baseline - TOP
    bars = []
    for index, year in enumerate(span):
        value = counts.get(year, 0)
        bar_height = plot_height * value / top_level
        slot_x = left + index * slot
        bars.append(
            Bar(
                label=str(year),
                value=value,
                x=round(slot_x + slot * 0.1, 2),
                y=round(baseline - bar_height, 2),
                width=round(max(slot * 0.8, 1), 2),
                height=round(bar_height, 2),
                slot_x=round(slot_x, 2),
                slot_width=round(slot, 2),
                url=(urls or {}).get(year, ""),
                selected=year in selected,
            )
        )
    every = max(1, -(-len(span) // max_ticks))
    ticks = [
        (str(year), round(left + index * slot + slot / 2, 2)) for index, year in enumerate(span) if index % every == 0
    ]
    levels = [(f"{level:,}", round(baseline - plot_height * level / top_level, 2)) for level in levels]
    return BarChart(
        bars=bars,
        width=width,
        height=height,
        left=left,
        top=TOP,
        baseline=baseline,
        maximum=maximum,
        ticks=ticks,
        levels=levels,
    )
