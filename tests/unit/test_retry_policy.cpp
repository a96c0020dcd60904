#include "RetryPolicy.h"

#include <QTest>

using namespace pitwall;

class TestRetryPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retryable_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retry");
        QTest::addColumn<bool>("breaker");
        QTest::newRow("network failure") << 0 << true << true;
        QTest::newRow("ok") << 200 << false << false;
        QTest::newRow("bad request") << 400 << false << false;
        QTest::newRow("not found") << 404 << false << false;
        QTest::newRow("request timeout") << 408 << true << true;
        QTest::newRow("too many requests") << 429 << true << true;
        QTest::newRow("server error") << 500 << true << true;
        QTest::newRow("unavailable") << 503 << true << true;
        QTest::newRow("redirect") << 302 << false << false;
        QTest::newRow("client closed") << 499 << false << false;
        QTest::newRow("last 5xx") << 599 << true << true;
    }
    void retryable() {
        QFETCH(int, status);
        QTEST(RetryPolicy::isRetryable(status), "retry");
        QTEST(RetryPolicy::countsAgainstBreaker(status), "breaker");
    }
    void backoff_data() {
        QTest::addColumn<int>("retry");
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("expectedMs");
        // base 200 ms: 200, 400, 800 ... capped at 5000; half fixed, half jitter.
        QTest::newRow("first, least jitter") << 1 << 0.0 << 100;
        QTest::newRow("first, most jitter") << 1 << 0.999 << 199;
        QTest::newRow("second") << 2 << 0.5 << 300;
        QTest::newRow("third") << 3 << 0.0 << 400;
        QTest::newRow("capped") << 10 << 1.0 << 5000;
    }
    void backoff() {
        QFETCH(int, retry);
        QFETCH(double, random);
        RetryPolicy p;
        QTEST(int(p.delayFor(retry, random).count()), "expectedMs");
    }
    void growsExponentially() {
        RetryPolicy p;
        for (int retry = 1; retry < 5; ++retry)
            QVERIFY(p.delayFor(retry + 1, 0.0) == 2 * p.delayFor(retry, 0.0));
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "test_retry_policy.moc"
