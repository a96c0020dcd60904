#include "AuditReader.h"
#include "AuditText.h"
#include "PgConnect.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <set>

using namespace pitwall;
using test::TestStores;

namespace {

// An RFC 4180 reader, written from the RFC for this test: fields separated by commas, records by
// CRLF, a quoted field may hold commas, CRLF and doubled quotes.
std::vector<std::vector<std::string>> parseCsv(const std::string &text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false, wasQuoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.empty() && !wasQuoted) {
            quoted = wasQuoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::exchange(field, {}));
            wasQuoted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(std::exchange(field, {}));
            wasQuoted = false;
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    if (rows.back().empty())
        rows.pop_back();
    return rows;
}

} // namespace

// The audit trail as the audit page and `pitwallctl audit` read it: filters, keyset pages over
// 100,000 actions without a gap or a repeat, and CSV that a CSV reader gives back as it was.
class TestAuditReader : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;

private Q_SLOTS:
    void initTestCase() {
        m_stores = std::make_unique<TestStores>();
        auto c = connectPostgres(m_stores->pg(), 5, PgLimits::bulk());
        pqxx::work tx(*c);
        // 100,000 actions, many sharing their second (ties go by action id).
        tx.exec("INSERT INTO pitwall.actions (action_id, requested_at, actor, kind, target,"
                " params, before, after, reason, mirrored_at)"
                " SELECT gen_random_uuid(), timestamptz '2026-11-01 00:00+00' + (i / 3) *"
                " interval '1 second', CASE WHEN i % 10 = 0 THEN 'alice' ELSE 'bob' END,"
                " CASE WHEN i % 4 = 0 THEN 'set_cap' ELSE 'kill_run' END, 'target-' || (i % 50),"
                " jsonb_build_object('i', i), NULL, jsonb_build_object('n', i),"
                " 'reason ' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE now() END"
                " FROM generate_series(1, 100000) i");
        tx.exec("INSERT INTO pitwall.actions (action_id, requested_at, actor, kind, target,"
                " reason) VALUES ('00000000-0000-0000-0000-0000000000aa',"
                " timestamptz '2026-11-20 12:00+00', 'carol', 'set_cap', 'user:o''brien',"
                " 'raised, \"as agreed\"' || chr(10) || 'second line, 100%_done')");
        tx.commit();
    }
    void cleanupTestCase() { m_stores.reset(); }

    void keysetPagesCoverEveryActionOnce() {
        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        std::set<std::string> seen;
        std::optional<AuditCursor> after;
        int64_t lastUs = INT64_MAX;
        int pages = 0;
        do {
            const AuditPage page = readAudit(*c, {}, after, 5000);
            for (const AuditEntry &e : page.entries) {
                QVERIFY(e.requestedUs <= lastUs); // newest first
                lastUs = e.requestedUs;
                QVERIFY2(seen.insert(e.actionId).second, "an action came twice");
            }
            after = page.next;
            ++pages;
        } while (after);
        QCOMPARE(seen.size(), size_t(100'001));
        QCOMPARE(pages, 21);
    }

    void filtersNarrowTheTrail() {
        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        auto count = [&](const AuditFilter &f) {
            size_t n = 0;
            std::optional<AuditCursor> after;
            do {
                const AuditPage page = readAudit(*c, f, after, kMaxAuditPage);
                n += page.entries.size();
                after = page.next;
            } while (after);
            return n;
        };
        AuditFilter f;
        f.actor = "alice";
        QCOMPARE(count(f), size_t(10'000));
        f.kind = "set_cap";
        QCOMPARE(count(f), size_t(5'000)); // i % 20 == 0
        f = {};
        f.target = "target-7";
        QCOMPARE(count(f), size_t(2'000));
        f = {};
        f.text = "REASON 9999"; // case-insensitive substring: 9999, 99990..99999
        QCOMPARE(count(f), size_t(11));
        f.text = "100%_"; // LIKE specials are characters
        QCOMPARE(count(f), size_t(1));
        f = {};
        f.fromMs = 1'793'491'200'000;       // 2026-11-01 00:00 UTC
        f.toMs = f.fromMs.value() + 10'000; // ten seconds: i / 3 in 0..9, i from 1
        QCOMPARE(count(f), size_t(29));
        f = {};
        f.actor = std::string(kMaxAuditFilterText + 1, 'x');
        QVERIFY_THROWS_EXCEPTION(StoreError, readAudit(*c, f, std::nullopt, 10));
    }

    void csvReadsBackAsItWas() {
        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        AuditFilter f;
        f.actor = "carol";
        const AuditPage odd = readAudit(*c, f, std::nullopt, 10);
        QCOMPARE(odd.entries.size(), size_t(1));
        f = {};
        f.target = "target-3";
        const AuditPage some = readAudit(*c, f, std::nullopt, 100);
        std::string csv = auditCsvHeader();
        std::vector<AuditEntry> all = odd.entries;
        all.insert(all.end(), some.entries.begin(), some.entries.end());
        for (const AuditEntry &e : all)
            csv += auditCsvRow(e);
        const auto rows = parseCsv(csv);
        QCOMPARE(rows.size(), all.size() + 1);
        QCOMPARE(rows[0].size(), size_t(11));
        for (size_t i = 0; i < all.size(); ++i) {
            const auto &r = rows[i + 1];
            QCOMPARE(r.size(), size_t(11));
            QCOMPARE(r[0], all[i].actionId);
            QCOMPARE(r[1], isoTimeUs(all[i].requestedUs));
            QCOMPARE(r[2], all[i].actor);
            QCOMPARE(r[4], all[i].target);
            QCOMPARE(r[5], all[i].reason);
            QCOMPARE(r[8], all[i].afterJson);
            QCOMPARE(r[10], isoTimeUs(all[i].mirroredUs));
        }
        QCOMPARE(rows[1][5], std::string("raised, \"as agreed\"\nsecond line, 100%_done"));
        QCOMPARE(rows[1][4], std::string("user:o'brien"));
        QCOMPARE(rows[1][10], std::string()); // still pending
    }
};

QTEST_GUILESS_MAIN(TestAuditReader)
#include "test_audit_reader.moc"
