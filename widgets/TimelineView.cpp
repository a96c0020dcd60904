#include "TimelineView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace pitwall {
namespace {

QColor kindColour(uint8_t kind) {
    switch (kind) {
    case TraceSpan::Agent:
        return {0x8d, 0x99, 0xae};
    case TraceSpan::Llm:
        return {0x4f, 0x86, 0xe6};
    case TraceSpan::Tool:
        return {0x2f, 0xa8, 0x72};
    case TraceSpan::Retrieval:
        return {0xe0, 0x9b, 0x2d};
    case TraceSpan::Guard:
        return {0x9b, 0x6b, 0xd0};
    default:
        return {0xa0, 0xa0, 0xa0};
    }
}

const QColor kError(0xd0, 0x34, 0x2c);
const QColor kPath(0xff, 0x8c, 0x00);
const QColor kLoop(0x8e, 0x24, 0xaa);

// "+1.234 s", "+850 ms", "+12 µs": times on the ruler, relative to the trace's start.
QString offsetText(double us, double step) {
    if (step >= 1e6)
        return QStringLiteral("+%1 s").arg(us / 1e6, 0, 'f', step >= 1e7 ? 0 : 1);
    if (step >= 1e3)
        return QStringLiteral("+%1 ms").arg(us / 1e3, 0, 'f', step >= 1e4 ? 0 : 1);
    return QStringLiteral("+%1 µs").arg(us, 0, 'f', 0);
}

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMinimumHeight(kOverviewHeight + kRulerHeight + 4 * kRowHeight);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Trace timeline"));
    setToolTip(tr("Wheel: zoom · drag: pan · Shift+wheel: rows · W/S zoom · A/D pan · F fit "
                  "selection · 0 fit all"));
    m_rows = new QScrollBar(Qt::Vertical, this);
    connect(m_rows, &QScrollBar::valueChanged, this, [this](int v) {
        m_firstDepth = v;
        update();
    });
}

void TimelineView::setTrace(std::shared_ptr<const Trace> trace,
                            std::shared_ptr<const TimelineIndex> index,
                            std::vector<uint8_t> loops) {
    m_trace = std::move(trace);
    m_index = std::move(index);
    m_loops = std::move(loops);
    m_onPath.clear();
    m_selected = TraceSpan::kNone;
    m_firstDepth = 0;
    m_boxesWidth = -1;
    m_overviewWidth = -1;
    updateScrollBar();
    fitAll();
}

int TimelineView::plotWidth() const {
    return std::max(1, width() - (m_rows->isVisible() ? m_rows->width() : 0));
}

int TimelineView::visibleRows() const {
    return std::max(1, (height() - rowsTop()) / kRowHeight);
}

void TimelineView::updateScrollBar() {
    const int depths = m_trace ? m_trace->depthCount() : 0;
    m_rows->setRange(0, std::max(0, depths - visibleRows()));
    m_rows->setPageStep(visibleRows());
    m_rows->setVisible(depths > visibleRows());
    m_rows->setGeometry(width() - m_rows->sizeHint().width(), rowsTop(), m_rows->sizeHint().width(),
                        height() - rowsTop());
}

void TimelineView::resizeEvent(QResizeEvent *) {
    updateScrollBar();
}

void TimelineView::setAxis(const TimeAxis &axis) {
    m_axis = axis;
    update();
}

void TimelineView::fitAll() {
    if (!m_trace)
        return;
    setAxis(TimeAxis::fit(m_trace->startUs, m_trace->endUs, plotWidth(), 8));
}

void TimelineView::fitSpan(uint32_t span) {
    if (!m_trace || span >= m_trace->spans.size())
        return;
    const TraceSpan &s = m_trace->spans[span];
    setAxis(
        TimeAxis::fit(s.startUs, std::max(s.endUs, s.startUs + 1), plotWidth(), plotWidth() / 10));
}

void TimelineView::setSelected(uint32_t span, bool reveal) {
    m_selected = span;
    if (reveal && m_trace && span < m_trace->spans.size()) {
        const TraceSpan &s = m_trace->spans[span];
        const double x0 = m_axis.x(double(s.startUs)), x1 = m_axis.x(double(s.endUs));
        if (x1 < 0 || x0 > plotWidth())
            setAxis(m_axis.panned(plotWidth() / 2.0 - (x0 + x1) / 2));
        if (s.depth < m_firstDepth || s.depth >= m_firstDepth + visibleRows())
            m_rows->setValue(std::max(0, int(s.depth) - visibleRows() / 2));
    }
    update();
}

void TimelineView::setCriticalPath(std::vector<uint8_t> onPath) {
    m_onPath = std::move(onPath);
    update();
}

void TimelineView::updateBoxes() const {
    const int w = plotWidth(), rows = visibleRows();
    if (m_boxesAxis == m_axis && m_boxesWidth == w && m_boxesFirst == m_firstDepth &&
        m_boxesRows == rows)
        return;
    m_boxes = m_index ? m_index->layout(m_axis, w, m_firstDepth, rows) : std::vector<TimelineBox>{};
    m_boxesAxis = m_axis;
    m_boxesWidth = w;
    m_boxesFirst = m_firstDepth;
    m_boxesRows = rows;
}

uint32_t TimelineView::spanAt(QPoint at) const {
    if (!m_trace || at.y() < rowsTop())
        return TraceSpan::kNone;
    updateBoxes();
    const int depth = m_firstDepth + (at.y() - rowsTop()) / kRowHeight;
    uint32_t best = TraceSpan::kNone;
    for (const TimelineBox &b : m_boxes)
        if (b.depth == depth && at.x() >= b.x0 - 1 && at.x() <= b.x1 + 1)
            best = b.span; // the last drawn is on top
    return best;
}

void TimelineView::paintOverview(QPainter &p) {
    const int w = plotWidth();
    p.fillRect(0, 0, width(), kOverviewHeight, palette().alternateBase());
    if (!m_trace || m_trace->spans.empty())
        return;
    const TimeAxis all = TimeAxis::fit(m_trace->startUs, m_trace->endUs, w);
    if (m_overviewWidth != w) {
        m_overview.assign(size_t(w), 0);
        m_overviewErrors.assign(size_t(w), 0);
        for (const TraceSpan &s : m_trace->spans) {
            const auto x = size_t(std::clamp(all.x(double(s.startUs)), 0.0, double(w - 1)));
            ++m_overview[x];
            m_overviewErrors[x] += s.status == TraceSpan::Error;
        }
        m_overviewWidth = w;
    }
    const uint32_t peak =
        std::max<uint32_t>(1, *std::max_element(m_overview.begin(), m_overview.end()));
    const double scale = (kOverviewHeight - 6) / std::log1p(double(peak));
    p.setPen(palette().color(QPalette::Mid));
    for (int x = 0; x < w; ++x)
        if (m_overview[size_t(x)]) {
            const int h = std::max(1, int(std::log1p(double(m_overview[size_t(x)])) * scale));
            p.drawLine(x, kOverviewHeight - 3, x, kOverviewHeight - 3 - h);
        }
    p.setPen(kError);
    for (int x = 0; x < w; ++x)
        if (m_overviewErrors[size_t(x)])
            p.drawLine(x, 2, x, 7);
    // The visible window.
    const double x0 = all.x(m_axis.us(0)), x1 = all.x(m_axis.us(w));
    const QRectF window(std::max(0.0, x0), 1,
                        std::max(2.0, std::min(double(w), x1) - std::max(0.0, x0)),
                        kOverviewHeight - 2);
    p.setPen(palette().color(QPalette::Highlight));
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(40);
    p.setBrush(fill);
    p.drawRect(window);
    p.setBrush(Qt::NoBrush);
}

void TimelineView::paintRuler(QPainter &p) {
    const int w = plotWidth();
    const int top = kOverviewHeight;
    p.fillRect(0, top, width(), kRulerHeight, palette().window());
    if (!m_trace)
        return;
    const double step = rulerStepUs(m_axis.usPerPixel, 90);
    const double origin = double(m_trace->startUs);
    const double first = std::ceil((m_axis.us(0) - origin) / step) * step;
    p.setPen(palette().color(QPalette::WindowText));
    for (double t = first; m_axis.x(origin + t) < w; t += step) {
        const double x = m_axis.x(origin + t);
        p.drawLine(QPointF(x, top + kRulerHeight - 6), QPointF(x, top + kRulerHeight));
        p.drawText(QPointF(x + 3, top + kRulerHeight - 7), offsetText(t, step));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(0, top + kRulerHeight - 1, w, top + kRulerHeight - 1);
}

void TimelineView::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    paintOverview(p);
    paintRuler(p);
    if (!m_trace) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(0, rowsTop(), 0, 0), Qt::AlignCenter,
                   tr("Open a run to see its trace."));
        return;
    }
    updateBoxes();
    p.setClipRect(0, rowsTop(), plotWidth(), height() - rowsTop());
    const QFontMetrics metrics = fontMetrics();
    for (const TimelineBox &b : m_boxes) {
        const double y = rowsTop() + (b.depth - m_firstDepth) * kRowHeight + 1;
        const QRectF r(b.x0, y, std::max(1.0f, b.x1 - b.x0), kRowHeight - 3);
        // A failed span is red; a merged box with failures in it keeps its colour and gets a
        // red mark, so that a few errors among thousands do not paint a row red.
        // Tool calls of a loop are purple rather than green.
        const bool loop = !m_loops.empty() && m_loops[b.span];
        QColor fill = b.error && b.count == 1 ? kError : loop ? kLoop : kindColour(b.kind);
        if (b.count > 1)
            fill = fill.lighter(115);
        p.fillRect(r, fill);
        if (b.error && b.count > 1)
            p.fillRect(QRectF(r.left(), r.top(), r.width(), 4), kError);
        if (b.count == 1) {
            if (!m_onPath.empty() && m_onPath[b.span]) {
                p.fillRect(QRectF(r.left(), r.bottom() - 2, r.width(), 3), kPath);
            }
            if (r.width() > 30) {
                const QString name = m_trace->text(m_trace->spans[b.span].name);
                p.setPen(Qt::white);
                p.drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                           metrics.elidedText(name, Qt::ElideRight, int(r.width()) - 5));
            }
        }
    }
    // The selected span, outlined even when it is merged into a box or off the cached range.
    if (m_selected < m_trace->spans.size()) {
        const TraceSpan &s = m_trace->spans[m_selected];
        if (s.depth >= m_firstDepth && s.depth < m_firstDepth + visibleRows()) {
            const double x0 = std::max(-2.0, m_axis.x(double(s.startUs)));
            const double x1 = std::min(double(plotWidth() + 2), m_axis.x(double(s.endUs)));
            const double y = rowsTop() + (s.depth - m_firstDepth) * kRowHeight;
            p.setPen(QPen(palette().color(QPalette::Text), 2));
            p.drawRect(QRectF(x0, y, std::max(3.0, x1 - x0), kRowHeight - 1));
        }
    }
}

void TimelineView::zoomAt(double factor, double x) {
    if (!m_trace)
        return;
    // Between a tenth of a microsecond per pixel and the whole trace in a tenth of the width.
    const double maxUsPerPixel = 10.0 * double(m_trace->endUs - m_trace->startUs + 1) / plotWidth();
    TimeAxis z = m_axis.zoomed(factor, x, 0.1);
    if (z.usPerPixel > maxUsPerPixel)
        z = m_axis.zoomed(m_axis.usPerPixel / maxUsPerPixel, x, 0.1);
    setAxis(z);
}

void TimelineView::wheelEvent(QWheelEvent *event) {
    const double notches = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ShiftModifier) {
        m_rows->setValue(m_rows->value() - int(std::round(notches * 3)));
    } else {
        zoomAt(std::pow(1.25, notches), event->position().x());
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *event) {
    m_pressAt = event->pos();
    m_pressAxis = m_axis;
    m_dragging = false;
    m_draggingOverview = event->pos().y() < kOverviewHeight && m_trace;
    if (m_draggingOverview)
        mouseMoveEvent(event);
}

void TimelineView::mouseMoveEvent(QMouseEvent *event) {
    if (!(event->buttons() & Qt::LeftButton) || !m_trace)
        return;
    if (m_draggingOverview) {
        // Centre the window on the point of the overview.
        const TimeAxis all = TimeAxis::fit(m_trace->startUs, m_trace->endUs, plotWidth());
        const double centre = all.us(event->position().x());
        TimeAxis a = m_axis;
        a.originUs = centre - plotWidth() / 2.0 * a.usPerPixel;
        setAxis(a);
        return;
    }
    const int dx = event->pos().x() - m_pressAt.x();
    if (std::abs(dx) > 3 || m_dragging) {
        m_dragging = true;
        setAxis(m_pressAxis.panned(dx));
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event) {
    if (!m_dragging && !m_draggingOverview && event->button() == Qt::LeftButton) {
        const uint32_t span = spanAt(event->pos());
        if (span != TraceSpan::kNone) {
            setSelected(span, false);
            Q_EMIT spanClicked(span);
        }
    }
    m_dragging = m_draggingOverview = false;
}

void TimelineView::keyPressEvent(QKeyEvent *event) {
    const double centre = plotWidth() / 2.0;
    switch (event->key()) {
    case Qt::Key_W:
        zoomAt(1.5, centre);
        break;
    case Qt::Key_S:
        zoomAt(1 / 1.5, centre);
        break;
    case Qt::Key_A:
        setAxis(m_axis.panned(plotWidth() / 5.0));
        break;
    case Qt::Key_D:
        setAxis(m_axis.panned(-plotWidth() / 5.0));
        break;
    case Qt::Key_F:
        fitSpan(m_selected);
        break;
    case Qt::Key_0:
        fitAll();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace pitwall
