#include "ActivityText.h"

#include <QStringList>

#include <algorithm>

namespace pitwall {

QString ActivityText::usd(qint64 micros) {
    return QStringLiteral("$") + QString::number(static_cast<double>(micros) / 1e6, 'f', 2);
}

QString ActivityText::usdFine(qint64 micros) {
    if (micros >= 1'000'000)
        return usd(micros);
    QString n = QString::number(static_cast<double>(micros) / 1e6, 'f', 6);
    while (n.endsWith(QLatin1Char('0')) && n.size() > 4)
        n.chop(1);
    return QStringLiteral("$") + n;
}

QString ActivityText::spend(const ActivitySummary &a) {
    QString s = tr("%1 spent today").arg(usd(a.spentTodayMicros));
    if (a.reservedMicros > 0)
        s += tr(" + %1 reserved in flight").arg(usd(a.reservedMicros));
    if (a.globalCapMicros < 0)
        return s + tr(", no global cap");
    const double used = a.globalCapMicros == 0
                            ? 100.0
                            : 100.0 * static_cast<double>(a.spentTodayMicros + a.reservedMicros) /
                                  static_cast<double>(a.globalCapMicros);
    return s + tr(", of a %1 global daily cap (%2 %)")
                   .arg(usd(a.globalCapMicros))
                   .arg(used, 0, 'f', used < 10 ? 1 : 0);
}

QString ActivityText::runs(const ActivitySummary &a) {
    if (a.runsByStatus.isEmpty())
        return tr("No runs started in the last 15 minutes");
    QList<QPair<QString, qint64>> counts;
    for (auto it = a.runsByStatus.cbegin(); it != a.runsByStatus.cend(); ++it)
        counts.append({it.key(), it.value()});
    std::stable_sort(counts.begin(), counts.end(),
                     [](const auto &x, const auto &y) { return x.second > y.second; });
    QStringList parts;
    for (const auto &[status, count] : counts)
        parts << QStringLiteral("%1 %2").arg(count).arg(
            QString(status).replace(QLatin1Char('_'), QLatin1Char(' ')));
    return tr("Last 15 minutes: %1").arg(parts.join(QStringLiteral(" · ")));
}

QString ActivityText::breakers(const ActivitySummary &a) {
    if (!a.breakersError.isEmpty())
        return tr("Breakers not read: %1").arg(a.breakersError);
    if (a.breakersNotClosed.isEmpty())
        return tr("All circuit breakers closed");
    QStringList parts;
    for (const auto &b : a.breakersNotClosed)
        parts << (b.forced.isEmpty()
                      ? tr("%1 %2").arg(
                            b.tool, QString(b.state).replace(QLatin1Char('_'), QLatin1Char('-')))
                      : tr("%1 forced %2").arg(b.tool, b.forced));
    return tr("Breakers: %1").arg(parts.join(QStringLiteral(" · ")));
}

} // namespace pitwall
