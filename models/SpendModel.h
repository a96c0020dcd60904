#pragma once

#include "SpendMath.h"
#include "SpendRecords.h"

#include <QAbstractTableModel>
#include <QCoreApplication>
#include <QString>

#include <vector>

namespace pitwall {

// The spend page's words, pure: amounts, caps, "cap reached at about 17:40", a scope's name,
// an alert's sentence and a cap change's impact.
class SpendText {
    Q_DECLARE_TR_FUNCTIONS(SpendText)
public:
    static QString usd(int64_t micros);              // "$12.34", "$0.0042" below a cent
    static QString perHour(double microsPerHour);    // "$1.20/h"
    static QString cap(int64_t micros);              // "$5.00", or "no cap"
    static QString scopeName(const SpendFigures &f); // "user alice", "global", "default user"
    static QString capReached(const SpendOutlook &o, const SpendFigures &f, int64_t nowMs);
    static QString alert(const SpendFigures &f, const SpendOutlook &o);
    // One line for the selected scope's header.
    static QString summary(const SpendFigures &f, const SpendOutlook &o, int64_t nowMs);
    // The cap editor's preview, as rich text.
    static QString impact(const SpendFigures &scope, const CapImpact &impact,
                          int64_t newDailyMicros, int64_t nowMs);
    // What the page showed of a scope when a cap was changed, as a JSON object for the audit
    // trail: used, settled, reserved, cap, share, burn rates, projection, when it was read.
    static QString evidence(const SpendFigures &f, const SpendOutlook &o, int64_t atMs);
};

// Scopes with their figures: one row per scope, the columns of the spend page.
class SpendTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Scope,
        Used,
        Reserved,
        DailyCap,
        PercentUsed,
        CapReached,
        Projected,
        Burn15m,
        Burn60m,
        RefusedDaily,
        RefusedPerRequest,
        Drift,
        Alert,
        Settled,
        PerRequestCap,
        ColumnCount
    };
    explicit SpendTableModel(QObject *parent = nullptr);

    // Rows keep their place when the scopes stay the same (a refresh keeps the selection).
    void setRows(std::vector<SpendFigures> rows, int64_t nowMs);
    const SpendFigures *figures(int row) const;
    int rowOf(const std::string &scope, const std::string &subject) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<SpendFigures> m_rows;
    std::vector<SpendOutlook> m_outlooks;
    int64_t m_nowMs = 0;
};

// Reservations held by runs that ended or stopped beating.
class SpendHoldsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Run, Agent, User, Held, Why, ColumnCount };
    explicit SpendHoldsModel(QObject *parent = nullptr);
    void setHolds(std::vector<SpendHold> holds);
    const SpendHold *hold(int row) const;
    int rowOf(const std::string &runId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<SpendHold> m_holds;
};

} // namespace pitwall
