#pragma once

#include "TimeAxis.h"
#include "TimelineLayout.h"
#include "Trace.h"

#include <QWidget>

#include <memory>
#include <vector>

class QScrollBar;

namespace pitwall {

// A trace as bars on a timeline, one row per depth, coloured by kind, failures marked in red,
// the selected span outlined; an overview strip of the whole trace with the visible window, and
// a time ruler. Spans narrower than a pixel are merged into one box per pixel column, labels
// are drawn only where they fit, and the boxes are cached per visible range and width, so a
// million spans pan and zoom smoothly. Wheel zooms about the cursor (Shift+wheel scrolls the
// rows), dragging pans, a click selects; keys: W/S zoom, A/D pan, F fit the selection,
// 0 fit all.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    // `loops`: per span, whether it is part of a tool loop (may be empty).
    void setTrace(std::shared_ptr<const Trace> trace, std::shared_ptr<const TimelineIndex> index,
                  std::vector<uint8_t> loops);
    // Outlines a span (TraceSpan::kNone: none); with `reveal`, pans and scrolls to it.
    void setSelected(uint32_t span, bool reveal);
    uint32_t selected() const { return m_selected; }
    // Per span, whether it is on the critical path; empty to hide the path.
    void setCriticalPath(std::vector<uint8_t> onPath);
    void fitAll();
    void fitSpan(uint32_t span);
    const TimeAxis &axis() const { return m_axis; }
    void setAxis(const TimeAxis &axis);
    int firstDepth() const { return m_firstDepth; }
    // The span drawn at a point of the widget, or TraceSpan::kNone.
    uint32_t spanAt(QPoint at) const;
    // How many boxes the last frame drew (for the benchmark and the tests).
    size_t boxesDrawn() const { return m_boxes.size(); }

    static constexpr int kOverviewHeight = 30;
    static constexpr int kRulerHeight = 20;
    static constexpr int kRowHeight = 18;

Q_SIGNALS:
    void spanClicked(quint32 span);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    int rowsTop() const { return kOverviewHeight + kRulerHeight; }
    int visibleRows() const;
    int plotWidth() const;
    void updateBoxes() const;
    void updateScrollBar();
    void paintOverview(QPainter &p);
    void paintRuler(QPainter &p);
    void zoomAt(double factor, double x);

    std::shared_ptr<const Trace> m_trace;
    std::shared_ptr<const TimelineIndex> m_index;
    std::vector<uint8_t> m_loops, m_onPath;
    TimeAxis m_axis;
    int m_firstDepth = 0;
    uint32_t m_selected = TraceSpan::kNone;
    QScrollBar *m_rows = nullptr;
    // The geometry cache: boxes for one axis, width and depth range.
    mutable std::vector<TimelineBox> m_boxes;
    mutable TimeAxis m_boxesAxis{-1, -1};
    mutable int m_boxesWidth = -1, m_boxesFirst = -1, m_boxesRows = -1;
    // The overview's histogram of span starts per pixel column, per width.
    std::vector<uint32_t> m_overview, m_overviewErrors;
    int m_overviewWidth = -1;
    QPoint m_pressAt;
    TimeAxis m_pressAxis;
    bool m_dragging = false, m_draggingOverview = false;
};

} // namespace pitwall
