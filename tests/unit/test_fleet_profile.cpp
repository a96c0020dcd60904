#include "AgentPicker.h"
#include "FleetProfile.h"
#include "FleetProfileJson.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace pitwall;

namespace {

std::string exampleFile(const char *name) {
    return std::string(PITWALL_FLEET_PROFILES_DIR) + "/" + name;
}

// Exact: a profile file replays the built-in fleet only if every number is the same double.
QString exact(double d) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", d);
    return QString::fromLatin1(text);
}

QString text(const std::string &s) {
    return QString::fromStdString(s);
}

QStringList fieldsOf(const AgentProfile &a) {
    QStringList tools;
    for (const auto &t : a.tools)
        tools << text(t);
    return {
        QStringLiteral("name ") + text(a.name),
        QStringLiteral("stableVersion ") + text(a.stableVersion),
        QStringLiteral("canaryVersion ") + text(a.canaryVersion),
        QStringLiteral("stableModel ") + text(a.stableModel.model),
        QStringLiteral("stableModel.input ") + exact(a.stableModel.inputUsdPerMillion),
        QStringLiteral("stableModel.output ") + exact(a.stableModel.outputUsdPerMillion),
        QStringLiteral("canaryModel ") + text(a.canaryModel.model),
        QStringLiteral("canaryModel.input ") + exact(a.canaryModel.inputUsdPerMillion),
        QStringLiteral("canaryModel.output ") + exact(a.canaryModel.outputUsdPerMillion),
        QStringLiteral("stableSuccess ") + exact(a.stableSuccess),
        QStringLiteral("canarySuccess ") + exact(a.canarySuccess),
        QStringLiteral("stableLatencyScale ") + exact(a.stableLatencyScale),
        QStringLiteral("canaryLatencyScale ") + exact(a.canaryLatencyScale),
        QStringLiteral("canaryWeight ") + QString::number(a.canaryWeight),
        QStringLiteral("tools ") + tools.join(u','),
        QStringLiteral("meanSteps ") + QString::number(a.meanSteps),
        QStringLiteral("p95LatencyMs ") + QString::number(a.p95LatencyMs),
        QStringLiteral("minSuccessRate ") + exact(a.minSuccessRate),
        QStringLiteral("maxCostPerRequestUsd ") + exact(a.maxCostPerRequestUsd),
        QStringLiteral("maxCostPerUserDayUsd ") + exact(a.maxCostPerUserDayUsd),
        QStringLiteral("maxSteps ") + QString::number(a.maxSteps),
        QStringLiteral("stableCostScale ") + exact(a.stableCostScale),
        QStringLiteral("canaryCostScale ") + exact(a.canaryCostScale),
        QStringLiteral("trafficShare ") + exact(a.trafficShare),
    };
}

QStringList fieldsOf(const ToolProfile &t) {
    return {QStringLiteral("name ") + text(t.name),
            QStringLiteral("failureRate ") + exact(t.failureRate),
            QStringLiteral("clientErrorRate ") + exact(t.clientErrorRate),
            QStringLiteral("meanLatencyMs ") + QString::number(t.meanLatencyMs)};
}

// A valid one-agent profile that the refusals below each break in one place.
const std::string kAgent = R"({"name": "support-bot", "canary_weight": 10, "mean_steps": 5,
  "tools": ["crm_lookup", "kb_search"],
  "stable": {"version": "v41", "success": 0.97,
             "model": {"name": "gpt-4o-mini", "input_usd_per_million": 0.15,
                       "output_usd_per_million": 0.6}},
  "canary": {"version": "v42", "success": 0.88,
             "model": {"name": "gpt-4o", "input_usd_per_million": 2.5,
                       "output_usd_per_million": 10}}})";
const std::string kTools = R"([{"name": "crm_lookup"}, {"name": "kb_search"}])";

std::string profile(const std::string &agents, const std::string &tools = kTools) {
    return R"({"agents": [)" + agents + "]" + (tools.empty() ? "" : R"(, "tools": )" + tools) + "}";
}

// kAgent with `from` replaced by `to`; `from` must occur once.
std::string agentWith(const std::string &from, const std::string &to) {
    const size_t at = kAgent.find(from);
    if (at == std::string::npos || kAgent.find(from, at + 1) != std::string::npos)
        qFatal("the fixture does not hold %s exactly once", from.c_str());
    return std::string(kAgent).replace(at, from.size(), to);
}

std::string refusal(const std::string &json) {
    try {
        parseFleetProfile(json, "test.json");
    } catch (const FleetProfileError &e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

class TestFleetProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultProfileFileIsTheBuiltInFleet() {
        const FleetProfileFile file = loadFleetProfile(exampleFile("default-profile.json"));
        const auto agents = defaultAgents(4);
        const auto tools = defaultTools();
        QCOMPARE(file.agents.size(), agents.size());
        for (size_t i = 0; i < agents.size(); ++i)
            QCOMPARE(fieldsOf(file.agents[i]), fieldsOf(agents[i]));
        QCOMPARE(file.tools.size(), tools.size());
        for (size_t i = 0; i < tools.size(); ++i)
            QCOMPARE(fieldsOf(file.tools[i]), fieldsOf(tools[i]));
    }

    void slowCanaryExampleLoads() {
        const FleetProfileFile file = loadFleetProfile(exampleFile("slow-canary.json"));
        QCOMPARE(file.agents.size(), size_t(2));
        const AgentProfile &slow = file.agents[0];
        QCOMPARE(slow.canaryLatencyScale, 3.0);
        QCOMPARE(slow.stableLatencyScale, 1.0);
        QCOMPARE(slow.canarySuccess, slow.stableSuccess);
        QCOMPARE(slow.trafficShare, 3.0);
        QCOMPARE(slow.maxSteps, AgentProfile{}.maxSteps); // not in the file's slo
        QCOMPARE(file.tools.size(), size_t(3));
    }

    void omittedKeysTakeTheDefaults() {
        const FleetProfileFile file = parseFleetProfile(profile(kAgent, {}));
        const AgentProfile defaults;
        const AgentProfile &a = file.agents.at(0);
        QCOMPARE(a.stableLatencyScale, defaults.stableLatencyScale);
        QCOMPARE(a.canaryCostScale, defaults.canaryCostScale);
        QCOMPARE(a.trafficShare, defaults.trafficShare);
        QCOMPARE(a.p95LatencyMs, defaults.p95LatencyMs);
        QCOMPARE(a.maxCostPerUserDayUsd, defaults.maxCostPerUserDayUsd);
        QCOMPARE(file.tools.size(), defaultTools().size()); // no "tools": the built-in ones
    }

    void refuses_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const std::string &json, const char *expected) {
            QTest::newRow(name) << text(json) << QString::fromUtf8(expected);
        };
        row("not JSON", profile(kAgent).substr(0, 40), "test.json: the file is not valid JSON");
        row("NaN", profile(agentWith("0.97", "NaN")), "the file is not valid JSON");
        row("trailing text", profile(kAgent) + " {}", "the file is not valid JSON");
        row("an array at the top", "[" + profile(kAgent) + "]",
            "the file must be an object, not an array");
        row("no agents", "{}", "agents is missing");
        row("empty agents", profile(""), "agents must not be empty");
        row("unknown key at the top", R"({"agent": [], "agents": [)" + kAgent + "]}",
            R"(the file has an unknown key "agent")");
        row("misspelt key", profile(agentWith(R"("success": 0.97)", R"("sucess": 0.97)")),
            R"(agents[0].stable has an unknown key "sucess")");
        row("rate above 1", profile(agentWith("0.88", "1.5")),
            "agents[0].canary.success must be between 0 and 1, not 1.5.");
        row("negative price", profile(agentWith("0.15,", "-1,")),
            "agents[0].stable.model.input_usd_per_million must be between 0 and 10000, not -1");
        row("infinite price", profile(agentWith("0.15,", "1e999,")),
            "the file holds a number out of range: number overflow parsing '1e999'");
        row("price as text", profile(agentWith("0.15,", R"("0.15",)")),
            "agents[0].stable.model.input_usd_per_million must be a number between 0 and 10000, "
            "not a string");
        row("weight as text", profile(agentWith("10,", R"("10",)")),
            "agents[0].canary_weight must be a whole number between 0 and 100, not a string");
        row("weight with a fraction", profile(agentWith("10,", "10.5,")),
            "agents[0].canary_weight must be a whole number between 0 and 100, not 10.5");
        row("weight huge", profile(agentWith("10,", "18446744073709551615,")),
            "agents[0].canary_weight must be a whole number between 0 and 100, not "
            "18446744073709551615");
        row("no traffic", profile(agentWith("10,", R"(10, "traffic_share": 0,)")),
            "agents[0].traffic_share must be more than 0 and at most 1000, not 0");
        row("latency factor too large",
            profile(agentWith(R"("success": 0.88)", R"("success": 0.88, "latency_factor": 101)")),
            "agents[0].canary.latency_factor must be more than 0 and at most 100, not 101");
        row("no steps", profile(agentWith(R"("mean_steps": 5)", R"("mean_steps": 0)")),
            "agents[0].mean_steps must be a whole number between 1 and 1000, not 0");
        row("slo out of range", profile(agentWith("10,", R"(10, "slo": {"min_success_rate": 2},)")),
            "agents[0].slo.min_success_rate must be between 0 and 1, not 2");
        row("missing version", profile(agentWith(R"("version": "v41", )", "")),
            "agents[0].stable.version is missing");
        row("duplicate agent", profile(kAgent + "," + kAgent),
            "agents[1].name repeats agents[0].name (support-bot)");
        row("same versions", profile(agentWith(R"("v42")", R"("v41")")),
            "agents[0].canary.version must differ from agents[0].stable.version (both are v41)");
        row("unknown tool", profile(agentWith(R"("kb_search"])", R"("kb_serch"])")),
            "agents[0].tools[1] names the tool kb_serch, which tools does not list");
        row("unknown built-in tool", profile(agentWith(R"("kb_search"])", R"("kb_serch"])"), {}),
            "agents[0].tools[1] names the tool kb_serch, which is not a built-in tool");
        row("tool twice in an agent", profile(agentWith(R"("kb_search"])", R"("crm_lookup"])")),
            "agents[0].tools[1] repeats agents[0].tools[0] (crm_lookup)");
        row("no tools", profile(agentWith(R"(["crm_lookup", "kb_search"])", "[]")),
            "agents[0].tools must not be empty");
        row("tool listed twice", profile(kAgent, R"([{"name": "kb_search"}, {"name": "crm_lookup"},
            {"name": "kb_search"}])"),
            "tools[2].name repeats tools[0].name (kb_search)");
        row("tool failing more than always",
            profile(kAgent, R"([{"name": "crm_lookup", "failure_rate": 0.7,
            "client_error_rate": 0.4}, {"name": "kb_search"}])"),
            "tools[0].failure_rate and tools[0].client_error_rate together may be at most 1");
        row("name with a space", profile(agentWith("support-bot", "support bot")),
            "agents[0].name may hold only visible ASCII characters");
        row("name too long", profile(agentWith("support-bot", std::string(201, 'a'))),
            "agents[0].name may be at most 200 characters, not 201");
        row("empty version", profile(agentWith(R"("v42")", R"("")")),
            "agents[0].canary.version must not be empty");
        row("agent and version too long", profile(agentWith("support-bot", std::string(190, 'a'))),
            "agents[0].name and agents[0].stable.version together may be at most 192 characters");
        row("key twice", profile(agentWith(R"("canary_weight": 10,)", R"("canary_weight": 10,
            "canary_weight": 90,)")),
            R"(the key "canary_weight" appears twice in one object)");
        row("too deep", profile(agentWith(R"("mean_steps": 5)", R"("mean_steps": [[[[[[5]]]]]])")),
            "the file nests arrays and objects deeper than 8 levels");
        row("object for a number", profile(agentWith(R"("mean_steps": 5)", R"("mean_steps": {})")),
            "agents[0].mean_steps must be a whole number between 1 and 1000, not an object");
        std::string many;
        for (int i = 0; i < 65; ++i)
            many += (i ? "," : "") + agentWith("support-bot", "bot-" + std::to_string(i));
        row("too many agents", profile(many), "agents may list at most 64 agents, not 65");
        row("too big", profile(kAgent) + std::string(1024 * 1024, ' '),
            "test.json: the file is larger than 1 MiB");
    }
    void refuses() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const QString message = text(refusal(json.toStdString()));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.endsWith(u'.') || message == QStringLiteral("(accepted)"),
                 qPrintable(message));
    }

    void loadRefusesBeforeReadingAll() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string big = dir.filePath(QStringLiteral("big.json")).toStdString();
        std::ofstream(big) << profile(kAgent) << std::string(3 * 1024 * 1024, ' ');
        try {
            loadFleetProfile(big);
            QFAIL("a file over 1 MiB was accepted");
        } catch (const FleetProfileError &e) {
            QVERIFY2(text(e.what()).contains(QStringLiteral("larger than 1 MiB")), e.what());
        }
        for (const auto &path : {dir.filePath(QStringLiteral("missing.json")), dir.path()}) {
            try {
                loadFleetProfile(path.toStdString());
                QFAIL("a path that is no file was accepted");
            } catch (const FleetProfileError &e) {
                QVERIFY2(text(e.what()).startsWith(path), e.what());
            }
        }
    }

    // Equal shares pick as the fleet always did, so seeded fleets replay the same runs.
    void equalSharesPickAsBefore() {
        for (const auto &agents : {defaultAgents(4), defaultAgents(7),
                                   loadFleetProfile(exampleFile("default-profile.json")).agents}) {
            const AgentPicker picker(agents);
            std::mt19937_64 rng(42), before(42);
            for (int i = 0; i < 1000; ++i)
                QCOMPARE(picker.pick(rng), static_cast<size_t>(before() % agents.size()));
        }
    }

    void sharesWeighThePick() {
        std::vector<AgentProfile> agents(3);
        agents[0].trafficShare = 1;
        agents[1].trafficShare = 3;
        agents[2].trafficShare = 0.001;
        const AgentPicker picker(agents);
        std::mt19937_64 rng(7);
        int counts[3] = {};
        const int draws = 40'000;
        for (int i = 0; i < draws; ++i)
            counts[picker.pick(rng)]++;
        // Expected 9,998 / 29,993 / 10 (binomial sd about 87 and 3).
        QVERIFY2(std::abs(counts[0] - 9998) < 500, qPrintable(QString::number(counts[0])));
        QVERIFY2(std::abs(counts[1] - 29993) < 500, qPrintable(QString::number(counts[1])));
        QVERIFY2(counts[2] < 40, qPrintable(QString::number(counts[2])));
    }
};

QTEST_GUILESS_MAIN(TestFleetProfile)
#include "test_fleet_profile.moc"
