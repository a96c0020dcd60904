#include "RunDetailPanel.h"

#include "Contract.h"

#include "ActivityText.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pitwall {
namespace {

QString text(const std::string &s) {
    return QString::fromStdString(s);
}

QString value(const Fields &fields, const char *key) {
    for (const auto &[k, v] : fields)
        if (k == key)
            return text(v);
    return {};
}

// Milliseconds since the epoch (as the contract stores times) as a local time of day.
QString timeOf(const QString &ms) {
    bool ok = false;
    const qint64 v = ms.toLongLong(&ok);
    return ok && v > 0 ? QDateTime::fromMSecsSinceEpoch(v).toString(QStringLiteral("HH:mm:ss.zzz"))
                       : ms;
}

} // namespace

RunDetailPanel::RunDetailPanel(QWidget *parent)
    : QWidget(parent) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Field"), tr("Value")});
    m_tree->setUniformRowHeights(true);
    m_tree->setWordWrap(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setAccessibleName(tr("Run details"));
    layout->addWidget(m_tree, 1);
    showRun({});
}

void RunDetailPanel::showRun(const QString &runId) {
    if (runId == m_runId && !runId.isEmpty())
        return; // a refresh of the same run: keep what is shown until it arrives
    m_runId = runId;
    m_tree->clear();
    m_title->setText(runId.isEmpty() ? tr("No run selected") : tr("Run %1").arg(runId));
    m_note->setText(runId.isEmpty() ? tr("Select a run to see its Redis state, its agent's SLO "
                                         "targets and its latest events.")
                                    : tr("Loading…"));
}

void RunDetailPanel::showDetails(const RunDetails &d, const std::optional<SloTargets> &slo) {
    if (text(d.runId) != m_runId)
        return; // a late answer for a run no longer selected
    m_tree->clear();
    if (!d.error.empty()) {
        m_note->setText(tr("Could not read the run: %1").arg(text(d.error)));
        return;
    }
    m_note->setText(d.hash.empty() ? tr("Redis no longer holds this run (its hash expires an "
                                        "hour after it ends).")
                                   : QString());
    auto *hash = new QTreeWidgetItem(m_tree, {tr("Redis hash"), QString()});
    for (const auto &[k, v] : d.hash) {
        const QString key = text(k);
        QString shown = text(v);
        if (key.endsWith(QLatin1String("_ms")))
            shown = tr("%1 (%2)").arg(shown, timeOf(shown));
        else if (key.endsWith(QLatin1String("_micros")))
            shown = tr("%1 (%2)").arg(shown, ActivityText::usd(shown.toLongLong()));
        (new QTreeWidgetItem(hash, {key, shown}))->setToolTip(1, shown);
    }
    new QTreeWidgetItem(m_tree,
                        {tr("Kill flag"), d.killFlag.empty() ? tr("none") : text(d.killFlag)});
    const QString agent = value(d.hash, EventField::agent);
    auto *targets = new QTreeWidgetItem(m_tree, {tr("SLO targets of %1").arg(agent), QString()});
    if (slo) {
        new QTreeWidgetItem(targets, {tr("p95 latency"), tr("%1 ms").arg(slo->p95LatencyMs)});
        new QTreeWidgetItem(
            targets, {tr("success rate at least"),
                      QLocale().toString(slo->minSuccessRate * 100, 'f', 2) + QLatin1Char('%')});
        new QTreeWidgetItem(targets, {tr("cost per request at most"),
                                      ActivityText::usd(slo->maxCostPerRequestMicros)});
        new QTreeWidgetItem(targets, {tr("cost per user and day at most"),
                                      ActivityText::usd(slo->maxCostPerUserDayMicros)});
        new QTreeWidgetItem(targets, {tr("steps at most"), QString::number(slo->maxSteps)});
    } else {
        targets->setText(1, tr("none set for this agent"));
    }
    auto *events = new QTreeWidgetItem(
        m_tree, {tr("Latest events"), tr("%n found", nullptr, static_cast<int>(d.events.size()))});
    events->setToolTip(1, tr("Among the newest %n events of the stream.", nullptr,
                             static_cast<int>(d.eventsScanned)));
    for (const Fields &e : d.events) {
        QStringList rest;
        for (const auto &[k, v] : e)
            if (k != EventField::type && k != EventField::runId && k != EventField::atMs &&
                k != EventField::agent && k != EventField::version && k != EventField::user)
                rest << text(k) + QLatin1Char('=') + text(v);
        auto *item = new QTreeWidgetItem(events, {timeOf(value(e, EventField::atMs)) +
                                                      QLatin1Char(' ') + value(e, EventField::type),
                                                  rest.join(QStringLiteral(", "))});
        item->setToolTip(1, rest.join(QLatin1Char('\n')));
    }
    m_tree->expandAll();
}

} // namespace pitwall
