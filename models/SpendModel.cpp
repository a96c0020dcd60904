#include "SpendModel.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace pitwall {

QString SpendText::usd(int64_t micros) {
    const double v = double(micros) / 1e6;
    if (micros != 0 && std::abs(v) < 0.01)
        return QStringLiteral("$%1").arg(v, 0, 'f', 4);
    return QStringLiteral("$%1").arg(QLocale::c().toString(v, 'f', 2));
}

QString SpendText::perHour(double microsPerHour) {
    return tr("%1/h").arg(usd(int64_t(std::llround(microsPerHour))));
}

QString SpendText::cap(int64_t micros) {
    return micros < 0 ? tr("no cap") : usd(micros);
}

QString SpendText::scopeName(const SpendFigures &f) {
    if (f.scope == "global")
        return tr("global");
    if (f.scope == "user" && f.subject == "*")
        return tr("default user cap");
    return (f.scope == "agent" ? tr("agent %1") : tr("user %1"))
        .arg(QString::fromStdString(f.subject));
}

QString SpendText::capReached(const SpendOutlook &o, const SpendFigures &f, int64_t nowMs) {
    if (f.dailyCapMicros < 0)
        return {};
    if (!o.capReachedAtMs)
        return tr("not today");
    if (*o.capReachedAtMs <= nowMs + 60'000) // within the minute: as good as reached
        return tr("reached");
    return tr("about %1 UTC")
        .arg(QDateTime::fromMSecsSinceEpoch(*o.capReachedAtMs, Qt::UTC)
                 .toString(QStringLiteral("HH:mm")));
}

QString SpendText::alert(const SpendFigures &f, const SpendOutlook &o) {
    // One pass: a name with "%2" in it stays as it is.
    return tr("%1 has used %2 % of its daily cap of %3 (alert at %4 %)")
        .arg(scopeName(f), QString::number(std::floor(o.percentUsed), 'f', 0),
             cap(f.dailyCapMicros), QString::number(f.alertPercent, 'g', 4));
}

QString SpendText::evidence(const SpendFigures &f, const SpendOutlook &o, int64_t atMs) {
    auto usd = [](double micros) {
        return micros / 1e6;
    };
    const QJsonObject e{
        {QStringLiteral("scope"), QString::fromStdString(f.scope + ":" + f.subject)},
        {QStringLiteral("used_usd"), usd(double(o.usedMicros))},
        {QStringLiteral("settled_usd"), usd(double(f.settledMicros))},
        {QStringLiteral("reserved_usd"), usd(double(f.reservedMicros))},
        {QStringLiteral("daily_cap_usd"),
         f.dailyCapMicros < 0 ? QJsonValue() : QJsonValue(usd(double(f.dailyCapMicros)))},
        {QStringLiteral("percent_used"),
         o.percentUsed < 0 ? QJsonValue() : QJsonValue(o.percentUsed)},
        {QStringLiteral("burn_15m_usd_per_hour"), usd(o.burn15mPerHour)},
        {QStringLiteral("burn_60m_usd_per_hour"), usd(o.burn60mPerHour)},
        {QStringLiteral("projected_end_of_day_usd"), usd(double(o.projectedMicros))},
        {QStringLiteral("seen_at"),
         QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).toString(Qt::ISODateWithMs)}};
    return QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
}

QString SpendText::summary(const SpendFigures &f, const SpendOutlook &o, int64_t nowMs) {
    QString s =
        tr("%1: %2 used today (settled %3, reserved %4)")
            .arg(scopeName(f), usd(o.usedMicros), usd(f.settledMicros), usd(f.reservedMicros));
    if (f.dailyCapMicros >= 0) {
        s += tr(" of %1 (%2 %)").arg(usd(f.dailyCapMicros)).arg(o.percentUsed, 0, 'f', 0);
        const QString reached = capReached(o, f, nowMs);
        if (o.capReachedAtMs && *o.capReachedAtMs > nowMs + 60'000)
            s += tr(" · cap reached at %1 at this pace").arg(reached);
        else if (o.capReachedAtMs)
            s += tr(" · the cap is reached: new requests are refused");
    } else {
        s += tr(", no daily cap");
    }
    s += tr(" · burn %1 (15 min) · end of day %2")
             .arg(perHour(o.burn15mPerHour), usd(o.projectedMicros));
    if (f.capExpiresMs > 0)
        s += tr(" · time-boxed cap until %1 UTC")
                 .arg(QDateTime::fromMSecsSinceEpoch(f.capExpiresMs, Qt::UTC)
                          .toString(QStringLiteral("HH:mm")));
    return s;
}

QString SpendText::impact(const SpendFigures &scope, const CapImpact &i, int64_t newDailyMicros,
                          int64_t nowMs) {
    QStringList lines;
    const int64_t delta = i.unlimitedBefore ? 0 : newDailyMicros - scope.dailyCapMicros;
    if (i.unlimitedBefore)
        lines << tr("Today %1 is uncapped; this cap leaves %2 of headroom.")
                     .arg(scopeName(scope).toHtmlEscaped(), usd(i.headroomAfterMicros));
    else
        lines << tr("Headroom %1 → %2 (%3%4).")
                     .arg(usd(i.headroomBeforeMicros), usd(i.headroomAfterMicros),
                          delta >= 0 ? QStringLiteral("+") : QString(), usd(delta));
    lines << tr("Projected end of day at the last 15 minutes' pace: %1 → %2.")
                 .arg(usd(i.projectedBeforeMicros), usd(i.projectedAfterMicros));
    if (i.capReachedAfterMs)
        lines << (*i.capReachedAfterMs <= nowMs
                      ? tr("The new cap is reached already: the next requests are refused.")
                      : tr("At this pace the new cap is reached at about %1 UTC.")
                            .arg(QDateTime::fromMSecsSinceEpoch(*i.capReachedAfterMs, Qt::UTC)
                                     .toString(QStringLiteral("HH:mm"))));
    auto names = [](const std::vector<std::string> &v) {
        QStringList out;
        for (size_t k = 0; k < v.size() && k < 8; ++k)
            out << QString::fromStdString(v[k]).toHtmlEscaped();
        QString s = out.join(QStringLiteral(", "));
        if (v.size() > 8)
            s += tr(" and %n more", nullptr, int(v.size() - 8));
        return s;
    };
    if (!i.letThrough.empty())
        lines << tr("<b>Refused now, let through:</b> %1.").arg(names(i.letThrough));
    if (!i.newlyRefused.empty())
        lines << tr("<b>Would be refused:</b> %1.").arg(names(i.newlyRefused));
    if (i.letThrough.empty() && i.newlyRefused.empty())
        lines << tr("No one refused now would be let through, and no one else would be refused.");
    if (scope.scope == "user" && scope.subject == "*")
        lines << tr("Looked at the %n user(s) following the default cap among today's top "
                    "spenders.",
                    nullptr, int(i.followers));
    return lines.join(QStringLiteral("<br>"));
}

SpendTableModel::SpendTableModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void SpendTableModel::setRows(std::vector<SpendFigures> rows, int64_t nowMs) {
    bool same = rows.size() == m_rows.size();
    for (size_t i = 0; same && i < rows.size(); ++i)
        same = rows[i].scope == m_rows[i].scope && rows[i].subject == m_rows[i].subject;
    if (!same)
        beginResetModel();
    m_rows = std::move(rows);
    m_nowMs = nowMs;
    m_outlooks.clear();
    for (const SpendFigures &f : m_rows)
        m_outlooks.push_back(spendOutlook(f, nowMs));
    if (!same)
        endResetModel();
    else if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const SpendFigures *SpendTableModel::figures(int row) const {
    return row >= 0 && size_t(row) < m_rows.size() ? &m_rows[size_t(row)] : nullptr;
}

int SpendTableModel::rowOf(const std::string &scope, const std::string &subject) const {
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].scope == scope && m_rows[i].subject == subject)
            return int(i);
    return -1;
}

int SpendTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SpendTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SpendTableModel::data(const QModelIndex &index, int role) const {
    const SpendFigures *f = figures(index.row());
    if (!f)
        return {};
    const SpendOutlook &o = m_outlooks[size_t(index.row())];
    const bool isDefaultCap = f->scope == "user" && f->subject == "*";
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Scope:
            return SpendText::scopeName(*f);
        case Used:
            return isDefaultCap ? QString() : SpendText::usd(o.usedMicros);
        case Settled:
            return isDefaultCap ? QString() : SpendText::usd(f->settledMicros);
        case Reserved:
            return isDefaultCap ? QString() : SpendText::usd(f->reservedMicros);
        case DailyCap:
            return QString(SpendText::cap(f->dailyCapMicros) +
                           (f->capIsDefault ? tr(" (default)") : QString()) +
                           (f->capExpiresMs > 0 ? tr(" (time-boxed)") : QString()));
        case PerRequestCap:
            return SpendText::cap(f->perRequestCapMicros);
        case PercentUsed:
            return o.percentUsed < 0 || isDefaultCap
                       ? QString()
                       : QStringLiteral("%1 %").arg(o.percentUsed, 0, 'f', 0);
        case Burn15m:
            return isDefaultCap ? QString() : SpendText::perHour(o.burn15mPerHour);
        case Burn60m:
            return isDefaultCap ? QString() : SpendText::perHour(o.burn60mPerHour);
        case Projected:
            return isDefaultCap ? QString() : SpendText::usd(o.projectedMicros);
        case CapReached:
            return isDefaultCap ? QString() : SpendText::capReached(o, *f, m_nowMs);
        case RefusedDaily:
            return isDefaultCap ? QVariant() : QVariant(qint64(f->refusedDaily));
        case RefusedPerRequest:
            return isDefaultCap ? QVariant() : QVariant(qint64(f->refusedPerRequest));
        case Drift:
            if (isDefaultCap)
                return QString();
            return o.driftFlagged ? tr("%1 ⚠").arg(SpendText::usd(o.driftMicros))
                                  : SpendText::usd(o.driftMicros);
        case Alert:
            if (f->alertPercent <= 0)
                return QString();
            return (o.alertCrossed ? tr("crossed at %1 %") : tr("at %1 %"))
                .arg(f->alertPercent, 0, 'g', 4);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Used:
            return tr("Settled plus reserved by requests in flight: what the daily cap is "
                      "checked against.");
        case Drift:
            return tr("The Redis counter's settled spend minus the ledger in PostgreSQL (%1). "
                      "Flagged beyond a cent or 1 %, whichever is more.%2")
                .arg(SpendText::usd(f->ledgerMicros),
                     f->counterPresent ? QString() : tr(" Redis holds no counter for today yet."));
        case CapReached:
            return tr("When the daily cap is reached at the last 15 minutes' pace.");
        case DailyCap:
            return f->capUpdatedBy.empty() ? QString()
                                           : tr("Set by %1 (revision %2)")
                                                 .arg(QString::fromStdString(f->capUpdatedBy))
                                                 .arg(f->capRevision);
        case Alert:
            return o.alertCrossed ? SpendText::alert(*f, o) : QString();
        default:
            return SpendText::summary(*f, o, m_nowMs);
        }
    }
    if (role == Qt::ForegroundRole) {
        if ((index.column() == Drift && o.driftFlagged) ||
            (index.column() == Alert && o.alertCrossed) ||
            (index.column() == PercentUsed && o.percentUsed >= 100))
            return QBrush(QColor(0xb0, 0x00, 0x20));
    }
    if (role == Qt::TextAlignmentRole && index.column() != Scope)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant SpendTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Scope:
        return tr("Scope");
    case Used:
        return tr("Used");
    case Settled:
        return tr("Settled");
    case Reserved:
        return tr("Reserved");
    case DailyCap:
        return tr("Daily cap");
    case PerRequestCap:
        return tr("Per request");
    case PercentUsed:
        return tr("Used %");
    case Burn15m:
        return tr("Burn 15 min");
    case Burn60m:
        return tr("Burn 1 h");
    case Projected:
        return tr("End of day");
    case CapReached:
        return tr("Cap reached");
    case RefusedDaily:
        return tr("Refused daily");
    case RefusedPerRequest:
        return tr("Refused per req.");
    case Drift:
        return tr("Drift");
    case Alert:
        return tr("Alert");
    }
    return {};
}

SpendHoldsModel::SpendHoldsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void SpendHoldsModel::setHolds(std::vector<SpendHold> holds) {
    const bool same = std::equal(holds.begin(), holds.end(), m_holds.begin(), m_holds.end(),
                                 [](const SpendHold &a, const SpendHold &b) {
                                     return a.runId == b.runId && a.heldMicros == b.heldMicros &&
                                            a.status == b.status;
                                 });
    if (same)
        return; // a refresh that changed nothing keeps the selection
    beginResetModel();
    m_holds = std::move(holds);
    endResetModel();
}

const SpendHold *SpendHoldsModel::hold(int row) const {
    return row >= 0 && size_t(row) < m_holds.size() ? &m_holds[size_t(row)] : nullptr;
}

int SpendHoldsModel::rowOf(const std::string &runId) const {
    for (size_t i = 0; i < m_holds.size(); ++i)
        if (m_holds[i].runId == runId)
            return int(i);
    return -1;
}

int SpendHoldsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_holds.size());
}

int SpendHoldsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SpendHoldsModel::data(const QModelIndex &index, int role) const {
    const SpendHold *h = hold(index.row());
    if (!h || role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Run:
        return QString::fromStdString(h->runId);
    case Agent:
        return QString::fromStdString(h->agent);
    case User:
        return QString::fromStdString(h->user);
    case Held:
        return SpendText::usd(h->heldMicros);
    case Why:
        return h->ended ? tr("the run ended as %1").arg(QString::fromStdString(h->status))
                        : tr("no heartbeat since %1 UTC")
                              .arg(QDateTime::fromMSecsSinceEpoch(h->heartbeatMs, Qt::UTC)
                                       .toString(QStringLiteral("HH:mm:ss")));
    }
    return {};
}

QVariant SpendHoldsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Run:
        return tr("Run");
    case Agent:
        return tr("Agent");
    case User:
        return tr("User");
    case Held:
        return tr("Held");
    case Why:
        return tr("Why it is orphaned");
    }
    return {};
}

} // namespace pitwall
