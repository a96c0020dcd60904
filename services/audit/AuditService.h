#pragma once

#include "AuditRecords.h"
#include "ConnectionSettings.h"
#include "RequestLane.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

class QTimer;

namespace pitwall {

class StoreWorker;

// The audit area: the filtered trail a page at a time (keyset, newest first), the first page
// read again every kRefreshMs while only it is shown (new actions appear on top), older pages
// on request, and exports of the whole filtered trail to a file on a worker of their own.
class AuditService : public QObject {
    Q_OBJECT
public:
    explicit AuditService(QObject *parent = nullptr);
    ~AuditService() override;

    void connectTo(const ConnectionSettings &settings);
    void setFilter(const AuditFilter &filter); // reads the first page
    void loadOlder(const AuditCursor &after);  // the page after the rows shown
    void refresh();

    enum class Format { Csv, JsonLines };
    // Writes every action that matches the filter (at most kMaxExported) to `path`, through a
    // temporary file renamed at the end: a failed or cancelled export leaves no half file.
    void exportTo(const QString &path, Format format);
    void cancelExport();

    static constexpr int kPageSize = 200;
    static constexpr int kRefreshMs = 3000;
    static constexpr long long kMaxExported = 1'000'000;

Q_SIGNALS:
    // `older`: a page to append; else it replaces what is shown. `error` set: not read.
    void pageArrived(const pitwall::AuditPage &page, bool older, const QString &error);
    void exportProgress(long long rows);
    void exportFinished(bool ok, const QString &text);

private:
    ConnectionSettings m_settings;
    AuditFilter m_filter;
    AuditFilter m_shown; // as the first page shown was read (a "last hour" fixed then)
    RequestLane m_pages;
    RequestLane m_older;
    StoreWorker *m_reads = nullptr;
    StoreWorker *m_exports = nullptr;
    QTimer *m_timer = nullptr;
    bool m_olderShown = false; // older pages are appended: the first is not read again
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
};

} // namespace pitwall
