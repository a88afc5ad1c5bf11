"""Charts drawn on the server as SVG: no JavaScript library, readable in print and by screen readers
(each chart comes with the same numbers as a table)."""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class BarChart:
    bars: list
    width: int
    height: int
    baseline: float
    maximum: int
    ticks: list  # (label, x) along the bottom axis

    @property
    def first_label(self):
        return self.bars[0].label

    @property
    def last_label(self):
        return self.bars[-1].label

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)


def publications_per_year(counts, width=640, height=180, axis=24, max_ticks=8):
    """Bars for every year from the first to the last with publications (empty years as gaps)."""
    years = [year for year in counts if year is not None]
    if not years:
        return None
    first, last = min(years), max(years)
    span = list(range(first, last + 1))
    maximum = max(counts.values())
    slot = width / len(span)
    plot_height = height - axis
    bars = []
    for index, year in enumerate(span):
        value = counts.get(year, 0)
        bar_height = plot_height * value / maximum if maximum else 0
        bars.append(
            Bar(
                label=str(year),
                value=value,
                x=round(index * slot + slot * 0.1, 2),
                y=round(plot_height - bar_height, 2),
                width=round(max(slot * 0.8, 1), 2),
                height=round(bar_height, 2),
            )
        )
    step = max(1, -(-len(span) // max_ticks))
    ticks = [(str(year), round(index * slot + slot / 2, 2)) for index, year in enumerate(span) if index % step == 0]
    return BarChart(bars=bars, width=width, height=height, baseline=plot_height, maximum=maximum, ticks=ticks)
