#include "TracePage.h"

#include "ActivityText.h"
#include "Contract.h"
#include "LiveRunsView.h"
#include "PlainTextDelegate.h"
#include "RunListModel.h"
#include "SpanId.h"
#include "TimelineView.h"
#include "TraceTreeModel.h"

#include <algorithm>
#include <functional>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace pitwall {
namespace {

// Runs `action` on a key of `keys` sent to the watched widget, before the widget sees it.
class KeyFilter : public QObject {
public:
    KeyFilter(QKeySequence::StandardKey keys, std::function<void()> action, QObject *parent)
        : QObject(parent)
        , m_keys(keys)
        , m_action(std::move(action)) {}

protected:
    bool eventFilter(QObject *, QEvent *event) override {
        if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
            return false;
        if (!static_cast<QKeyEvent *>(event)->matches(m_keys))
            return false;
        event->accept();
        if (event->type() == QEvent::KeyPress)
            m_action();
        return true;
    }

private:
    QKeySequence::StandardKey m_keys;
    std::function<void()> m_action;
};

QPlainTextEdit *payloadView(QWidget *parent) {
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

// Kinds for stepping: -1 any.
constexpr int kAny = -1;

} // namespace

TracePage::TracePage(QWidget *parent)
    : QWidget(parent) {
    auto *layout = new QVBoxLayout(this);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(buildFinder());
    split->addWidget(buildTraceArea());
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setSizes({200, 700});
    layout->addWidget(split);

    auto key = [this](const QKeySequence &keys, auto handler) {
        auto *a = new QAction(this);
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, handler);
        addAction(a);
    };
    key(QKeySequence(Qt::Key_N), [this] { step(1, kAny, false); });
    key(QKeySequence(Qt::Key_P), [this] { step(-1, kAny, false); });
    key(QKeySequence(Qt::Key_L), [this] { step(1, TraceSpan::Llm, false); });
    key(QKeySequence(Qt::Key_T), [this] { step(1, TraceSpan::Tool, false); });
    key(QKeySequence(Qt::Key_E), [this] { step(1, kAny, true); });
    key(QKeySequence(Qt::SHIFT | Qt::Key_E), [this] { step(-1, kAny, true); });
    key(QKeySequence(Qt::Key_C), [this] { m_path->toggle(); });
    key(QKeySequence::Refresh, [this] { // a live run's trace grows: load it again
        if (!m_openTrace.isEmpty())
            Q_EMIT traceWanted(m_openTrace, m_openTitle);
    });
    key(QKeySequence::Find, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
}

QWidget *TracePage::buildFinder() {
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    auto field = [box, bar](const QString &label, QWidget *w) {
        auto *l = new QLabel(label, box);
        l->setBuddy(w);
        bar->addWidget(l);
        bar->addWidget(w);
    };
    m_agent = new QLineEdit(box);
    m_version = new QLineEdit(box);
    m_user = new QLineEdit(box);
    for (QLineEdit *e : {m_agent, m_version, m_user}) {
        e->setClearButtonEnabled(true);
        e->setMaximumWidth(150);
    }
    m_status = new QComboBox(box);
    m_status->addItem(tr("any"), QString());
    for (size_t i = 0; i < kRunStatusNames.size(); ++i) // shown translated, sent as named
        m_status->addItem(
            liveRunStatusText(uint8_t(i)),
            QString::fromLatin1(kRunStatusNames[i].data(), qsizetype(kRunStatusNames[i].size())));
    m_since = new QComboBox(box);
    m_since->addItem(tr("any time"), 0);
    m_since->addItem(tr("last hour"), 3600);
    m_since->addItem(tr("last 24 hours"), 86400);
    m_since->addItem(tr("last 7 days"), 7 * 86400);
    m_minCost = new QDoubleSpinBox(box);
    m_minCost->setPrefix(QStringLiteral("$"));
    m_minCost->setDecimals(2);
    m_minCost->setMaximum(100000);
    m_minSteps = new QSpinBox(box);
    m_minSteps->setMaximum(100000);
    field(tr("A&gent"), m_agent);
    field(tr("&Version"), m_version);
    field(tr("&User"), m_user);
    field(tr("&Status"), m_status);
    field(tr("S&ince"), m_since);
    field(tr("Cost ≥"), m_minCost);
    field(tr("Steps ≥"), m_minSteps);
    auto *find = new QPushButton(tr("&Find runs"), box);
    find->setDefault(true);
    bar->addWidget(find);
    bar->addStretch(1);
    layout->addLayout(bar);
    m_runList = new RunListModel(this);
    m_runs = new QTableView(box);
    m_runs->setModel(m_runList);
    m_runs->setItemDelegate(new PlainTextDelegate(m_runs));
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runs->verticalHeader()->hide();
    m_runs->verticalHeader()->setDefaultSectionSize(m_runs->fontMetrics().height() + 6);
    m_runs->horizontalHeader()->setStretchLastSection(true);
    m_runs->setToolTip(tr("Enter or double-click opens the run's trace."));
    layout->addWidget(m_runs);
    m_more = new QPushButton(tr("&More runs"), box);
    m_more->setEnabled(false);
    layout->addWidget(m_more, 0, Qt::AlignLeft);

    auto search = [this] {
        m_next.reset();
        Q_EMIT runsWanted(filter(), std::nullopt);
    };
    connect(find, &QPushButton::clicked, this, search);
    for (QLineEdit *e : {m_agent, m_version, m_user})
        connect(e, &QLineEdit::returnPressed, this, search);
    connect(m_more, &QPushButton::clicked, this, [this] {
        if (m_next)
            Q_EMIT runsWanted(filter(), m_next);
    });
    connect(m_runs, &QTableView::activated, this, &TracePage::openRun);
    return box;
}

QWidget *TracePage::buildTraceArea() {
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary =
        new QLabel(tr("No trace open. Find a run above, or press Enter on a live run."), box);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    layout->addWidget(m_summary);
    auto *bar = new QHBoxLayout;
    auto button = [box, bar](const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, box);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus);
        bar->addWidget(b);
        return b;
    };
    connect(button(tr("◀ Previous"), tr("Previous span in time (P)")), &QPushButton::clicked, this,
            [this] { step(-1, kAny, false); });
    connect(button(tr("Next ▶"), tr("Next span in time (N)")), &QPushButton::clicked, this,
            [this] { step(1, kAny, false); });
    connect(button(tr("Next LLM"), tr("Next LLM call (L)")), &QPushButton::clicked, this,
            [this] { step(1, TraceSpan::Llm, false); });
    connect(button(tr("Next tool"), tr("Next tool call (T)")), &QPushButton::clicked, this,
            [this] { step(1, TraceSpan::Tool, false); });
    connect(button(tr("Next error"), tr("Next failed span (E; Shift+E: previous)")),
            &QPushButton::clicked, this, [this] { step(1, kAny, true); });
    m_path = new QCheckBox(tr("Critical path"), box);
    m_path->setToolTip(tr("Underline the spans that determined when the run ended (C)"));
    bar->addWidget(m_path);
    m_loops = new QComboBox(box);
    m_loops->setToolTip(tr("Repeated tool calls with the same arguments, marked in purple"));
    m_loops->setMinimumContentsLength(24);
    bar->addWidget(m_loops);
    m_search = new QLineEdit(box);
    m_search->setPlaceholderText(tr("Search names, tools, models (Ctrl+F, Enter: next)"));
    m_search->setClearButtonEnabled(true);
    bar->addWidget(m_search, 1);
    m_progress = new QProgressBar(box);
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    m_progress->hide();
    bar->addWidget(m_progress);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Horizontal, box);
    m_treeModel = new TraceTreeModel(this);
    m_tree = new QTreeView(split);
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setMinimumSectionSize(40);
    const QFontMetrics metrics = m_tree->fontMetrics();
    const std::pair<int, const char *> widths[] = {
        {TraceTreeModel::Name, "execute_tool crm_lookup"},
        {TraceTreeModel::Kind, "tool (error)"},
        {TraceTreeModel::Duration, "00.000 s"},
        {TraceTreeModel::Tokens, "00000 → 0000"},
        {TraceTreeModel::Cost, "$0.000000"},
        {TraceTreeModel::Label, "gpt-4o-mini"}};
    for (const auto &[column, sample] : widths)
        m_tree->header()->resizeSection(column, metrics.horizontalAdvance(QLatin1String(sample)) +
                                                    metrics.height());
    auto *right = new QSplitter(Qt::Vertical, split);
    m_timeline = new TimelineView(right);
    auto *details = new QWidget(right);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_spanHeader = new QLabel(details);
    m_spanHeader->setWordWrap(true);
    m_spanHeader->setTextFormat(Qt::PlainText); // names come from agents: never markup
    m_spanHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detailsLayout->addWidget(m_spanHeader);
    m_tabs = new QTabWidget(details);
    auto payloadTab = [this](QPlainTextEdit **view, QString *full, const QString &title) {
        auto *page = new QWidget(m_tabs);
        auto *l = new QVBoxLayout(page);
        *view = payloadView(page);
        l->addWidget(*view);
        auto *buttons = new QHBoxLayout;
        buttons->addStretch(1);
        // A long payload shows its first 256 KB at once; the rest on request.
        auto *all = new QPushButton(tr("Show all"), page);
        all->setObjectName(QStringLiteral("showAll"));
        all->hide();
        connect(all, &QPushButton::clicked, this, [view, full, all] {
            (*view)->setPlainText(*full);
            all->hide();
        });
        buttons->addWidget(all);
        auto *copy = new QPushButton(tr("Copy"), page);
        connect(copy, &QPushButton::clicked, this,
                [full] { QApplication::clipboard()->setText(*full); });
        buttons->addWidget(copy);
        l->addLayout(buttons);
        m_tabs->addTab(page, title);
    };
    payloadTab(&m_input, &m_fullInput, tr("&Input"));
    payloadTab(&m_output, &m_fullOutput, tr("&Output"));
    m_attributes = new QTableWidget(0, 2, m_tabs);
    m_attributes->setHorizontalHeaderLabels({tr("Attribute"), tr("Value")});
    m_attributes->horizontalHeader()->setStretchLastSection(true);
    m_attributes->verticalHeader()->hide();
    m_attributes->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_attributes->setWordWrap(false);
    m_attributes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Ctrl+C or the context menu copies the selected rows as "key<TAB>value" lines (a stack
    // trace does not fit its cell).
    auto *copyRows = new QAction(tr("Copy"), m_attributes);
    copyRows->setShortcut(QKeySequence::Copy);
    copyRows->setShortcutContext(Qt::WidgetShortcut);
    connect(copyRows, &QAction::triggered, this, [this] {
        QStringList lines;
        for (int r = 0; r < m_attributes->rowCount(); ++r)
            if (m_attributes->item(r, 0) && m_attributes->item(r, 0)->isSelected())
                lines << m_attributes->item(r, 0)->text() + QLatin1Char('\t') +
                             m_attributes->item(r, 1)->text();
        if (!lines.isEmpty())
            QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
    });
    m_attributes->addAction(copyRows);
    // The table copies just its current cell on Ctrl+C by itself: take the key first.
    m_attributes->installEventFilter(new KeyFilter(
        QKeySequence::Copy, [copyRows] { copyRows->trigger(); }, m_attributes));
    m_attributes->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_attributes->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tabs->addTab(m_attributes, tr("&Attributes"));
    detailsLayout->addWidget(m_tabs);
    split->addWidget(m_tree);
    split->addWidget(right);
    split->setSizes({620, 900});
    right->setSizes({380, 320});
    layout->addWidget(split, 1);

    connect(m_timeline, &TimelineView::spanClicked, this,
            [this](quint32 span) { select(span, false); });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!m_syncing)
                    select(TraceTreeModel::spanOf(current), true);
            });
    connect(m_path, &QCheckBox::toggled, this, [this](bool on) {
        m_timeline->setCriticalPath(on ? m_trace.onPath : std::vector<uint8_t>{});
    });
    connect(m_loops, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        if (i > 0 && size_t(i - 1) < m_trace.loops.size())
            select(m_trace.loops[size_t(i - 1)].spans.front(), false);
    });
    connect(m_search, &QLineEdit::returnPressed, this, &TracePage::findNext);
    return box;
}

void TracePage::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    if (!m_searched) { // the latest runs, the first time the page shows
        m_searched = true;
        Q_EMIT runsWanted(filter(), std::nullopt);
    }
}

void TracePage::findRunsOfUser(const QString &user) {
    for (QLineEdit *e : {m_agent, m_version})
        e->clear();
    m_user->setText(user);
    m_status->setCurrentIndex(0);
    m_next.reset();
    Q_EMIT runsWanted(filter(), std::nullopt);
}

RunFilter TracePage::filter() const {
    RunFilter f;
    f.agent = m_agent->text().trimmed().toStdString();
    f.version = m_version->text().trimmed().toStdString();
    f.user = m_user->text().trimmed().toStdString();
    f.status = m_status->currentData().toString().toStdString();
    if (const int seconds = m_since->currentData().toInt())
        f.fromUs = (QDateTime::currentMSecsSinceEpoch() - qint64(seconds) * 1000) * 1000;
    f.minCostMicros = qint64(m_minCost->value() * 1e6);
    f.minSteps = m_minSteps->value();
    return f;
}

void TracePage::showRuns(const RunPage &page, bool append) {
    if (append)
        m_runList->appendRuns(page.runs);
    else
        m_runList->setRuns(page.runs);
    m_next = page.next;
    m_more->setEnabled(bool(m_next));
    if (!append && !page.runs.empty()) {
        m_runs->resizeColumnsToContents();
        m_runs->selectRow(0);
    }
    if (!append && page.runs.empty())
        m_summary->setText(tr("No run matches these filters."));
}

void TracePage::openRun(const QModelIndex &index) {
    if (!index.isValid())
        return;
    const RunSummary &r = m_runList->run(index.row());
    Q_EMIT traceWanted(QString::fromStdString(r.traceId),
                       tr("%1 %2 · %3 · %4")
                           .arg(QString::fromStdString(r.agent), QString::fromStdString(r.version),
                                QString::fromStdString(r.user), QString::fromStdString(r.status)));
}

void TracePage::showLoading(const QString &traceId, const QString &title, size_t spansSoFar) {
    m_openTrace = traceId;
    m_openTitle = title;
    m_progress->show();
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("%1 spans").arg(spansSoFar));
    m_summary->setText(tr("Loading %1…").arg(title));
}

void TracePage::showTrace(const LoadedTrace &trace) {
    m_progress->hide();
    m_trace = trace;
    m_treeModel->setTrace(trace.trace);
    m_timeline->setTrace(trace.trace, trace.index, trace.inLoop);
    m_timeline->setCriticalPath(m_path->isChecked() ? trace.onPath : std::vector<uint8_t>{});
    m_tree->expandToDepth(0);
    m_summary->setText(trace.title + QStringLiteral(" · ") + summaryText(trace.summary));
    m_loops->clear();
    m_loops->addItem(tr("%n tool loop(s)", nullptr, int(trace.loops.size())));
    for (const ToolLoop &loop : trace.loops) {
        const TraceSpan &first = trace.trace->spans[loop.spans.front()];
        m_loops->addItem(tr("%1 ×%2 at +%3")
                             .arg(trace.trace->text(first.label))
                             .arg(loop.repeats)
                             .arg(durationText(first.startUs - trace.trace->startUs)));
    }
    m_spanHeader->clear();
    m_input->clear();
    m_output->clear();
    m_attributes->setRowCount(0);
    uint32_t first = trace.trace->roots.empty() ? TraceSpan::kNone : trace.trace->roots.front();
    if (!m_spanToSelect.isEmpty()) {
        const uint64_t id = parseSpanId(m_spanToSelect.toStdString());
        for (uint32_t i = 0; i < trace.trace->spans.size(); ++i)
            if (trace.trace->spans[i].spanId == id)
                first = i;
        m_spanToSelect.clear();
    }
    if (first != TraceSpan::kNone)
        select(first, false);
    m_timeline->setFocus();
}

void TracePage::showError(const QString &message) {
    m_progress->hide();
    m_summary->setText(message);
}

uint32_t TracePage::selectedSpan() const {
    return m_timeline->selected();
}

void TracePage::select(uint32_t span, bool fromTree) {
    if (!m_trace.trace || span >= m_trace.trace->spans.size())
        return;
    m_timeline->setSelected(span, true);
    if (!fromTree) {
        // Expand the way down to the span and make it current in the tree.
        m_syncing = true;
        std::vector<uint32_t> up;
        // Bounded by the span count, though the builder guarantees a tree.
        for (uint32_t p = m_trace.trace->spans[span].parent;
             p != TraceSpan::kNone && up.size() < m_trace.trace->spans.size();
             p = m_trace.trace->spans[p].parent)
            up.push_back(p);
        for (auto it = up.rbegin(); it != up.rend(); ++it)
            m_tree->expand(m_treeModel->indexOf(*it));
        const QModelIndex index = m_treeModel->indexOf(span);
        m_tree->setCurrentIndex(index);
        m_tree->scrollTo(index);
        m_syncing = false;
    }
    const Trace &t = *m_trace.trace;
    const TraceSpan &s = t.spans[span];
    QStringList facts;
    facts << QString::fromLatin1(spanKindText(s.kind));
    if (s.status == TraceSpan::Error)
        facts << tr("FAILED");
    facts << tr("at +%1 for %2")
                 .arg(durationText(s.startUs - t.startUs), durationText(s.endUs - s.startUs));
    if (s.label)
        facts << t.text(s.label);
    if (s.inputTokens + s.outputTokens)
        facts << tr("%1 → %2 tokens").arg(s.inputTokens).arg(s.outputTokens);
    if (s.costMicros)
        facts << ActivityText::usdFine(s.costMicros);
    if (const uint64_t cut = t.cutParentOf(span))
        facts << tr("shown as a root: its parent %1 descends from it (a parent cycle in the data)")
                     .arg(QString::fromStdString(spanIdText(cut)));
    m_spanHeader->setText(t.text(s.name) + QStringLiteral(" · ") +
                          facts.join(QStringLiteral(" · ")));
    m_input->setPlainText(tr("Loading…"));
    m_output->clear();
    Q_EMIT spanWanted(QString::fromStdString(t.traceId),
                      QString::fromStdString(spanIdText(s.spanId)));
}

void TracePage::showSpan(const SpanView &v) {
    if (!m_trace.trace || m_timeline->selected() >= m_trace.trace->spans.size() ||
        spanIdText(m_trace.trace->spans[m_timeline->selected()].spanId) != v.details.spanId)
        return; // a late answer for a span no longer selected
    if (!v.error.isEmpty()) {
        m_input->setPlainText(v.error);
        return;
    }
    auto show = [](QPlainTextEdit *view, QString *full, const Payload &p) {
        *full = p.full;
        auto *all = view->parentWidget()->findChild<QPushButton *>(QStringLiteral("showAll"));
        all->setVisible(p.truncated);
        if (p.truncated)
            all->setText(TracePage::tr("Show all %1 KB").arg(p.bytes / 1024));
        if (!p.present) {
            view->setPlainText(TracePage::tr("(none)"));
            return;
        }
        view->setPlainText(p.truncated ? p.shown + TracePage::tr("\n\n… the first %1 characters "
                                                                 "of %2 bytes: Show all shows "
                                                                 "the rest, Copy copies all.")
                                                       .arg(p.shown.size())
                                                       .arg(p.bytes)
                                       : p.shown);
    };
    show(m_input, &m_fullInput, v.input);
    show(m_output, &m_fullOutput, v.output);
    // Why a span failed, when its attributes say (OpenTelemetry's status message, or the
    // exception recorded on it); the guard's own spans put the error in their output.
    if (v.details.status == "error")
        for (const auto &[key, text] : v.attributes)
            if (key == QLatin1String("otel.status_description") && !text.isEmpty()) {
                m_spanHeader->setText(m_spanHeader->text() + QStringLiteral(" · ") +
                                      tr("why: %1").arg(text.left(300)));
                break;
            }
    m_attributes->setRowCount(int(v.attributes.size()));
    for (size_t r = 0; r < v.attributes.size(); ++r) {
        m_attributes->setItem(int(r), 0, new QTableWidgetItem(v.attributes[r].first));
        auto *value = new QTableWidgetItem(v.attributes[r].second);
        // The whole value on hover, escaped: a tooltip would otherwise render markup.
        if (v.attributes[r].second.size() > 60)
            value->setToolTip(QStringLiteral("<p style='white-space:pre-wrap'>") +
                              v.attributes[r].second.left(4000).toHtmlEscaped() +
                              QStringLiteral("</p>"));
        m_attributes->setItem(int(r), 1, value);
    }
    // Keys as wide as they are (an event's keys are long), up to half the table.
    m_attributes->resizeColumnToContents(0);
    m_attributes->setColumnWidth(0, std::min(m_attributes->columnWidth(0), m_tabs->width() / 2));
}

void TracePage::step(int direction, int kind, bool errorsOnly) {
    if (!m_trace.trace)
        return;
    const uint32_t next = stepTo(*m_trace.trace, m_timeline->selected(), direction,
                                 [kind, errorsOnly](const TraceSpan &s) {
                                     return (kind == kAny || s.kind == kind) &&
                                            (!errorsOnly || s.status == TraceSpan::Error);
                                 });
    if (next != TraceSpan::kNone)
        select(next, false);
}

void TracePage::findNext() {
    const QString text = m_search->text().trimmed();
    if (!m_trace.trace || text.isEmpty())
        return;
    const Trace &t = *m_trace.trace;
    std::vector<int8_t> matches(t.strings.size(), -1); // each distinct string tested once
    auto test = [&](uint32_t id) {
        if (matches[id] < 0)
            matches[id] = t.strings[id].contains(text, Qt::CaseInsensitive) ? 1 : 0;
        return matches[id] == 1;
    };
    auto hit = [&](const TraceSpan &s) {
        return test(s.name) || (s.label && test(s.label));
    };
    uint32_t next = stepTo(t, m_timeline->selected(), 1, hit);
    if (next == TraceSpan::kNone)
        next = stepTo(t, TraceSpan::kNone, 1, hit); // wrap around
    if (next == TraceSpan::kNone)
        m_summary->setToolTip(tr("Nothing matches \"%1\".").arg(text));
    else
        select(next, false);
}

} // namespace pitwall
