#pragma once

#include "FleetProfile.h"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pitwall {

// A fleet read from a file (docs/fleet-profile.md): the agents and every tool they call.
struct FleetProfileFile {
    std::vector<AgentProfile> agents;
    std::vector<ToolProfile> tools; // defaultTools() when the file lists none
};

// A fleet profile refused: the message is a sentence naming the file and the field.
class FleetProfileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What a profile may hold; anything beyond is refused rather than trimmed.
struct FleetProfileLimits {
    static constexpr size_t kMaxBytes = 1024 * 1024;
    static constexpr int kMaxDepth = 8; // of nested arrays and objects; the schema needs 5
    static constexpr size_t kMaxAgents = 64;
    static constexpr size_t kMaxTools = 256;
    static constexpr size_t kMaxToolsPerAgent = 32;
    static constexpr size_t kMaxNameChars = 200;
    // The fleet registers each version with the fingerprint "sha256:AGENT-VERSION", which
    // the store caps at 200 characters.
    static constexpr size_t kMaxAgentAndVersionChars = 192;
};

// Reads and checks a profile, all of it or nothing; throws FleetProfileError.
FleetProfileFile loadFleetProfile(const std::string &path);
// The same on text already in memory; `source` names it in the messages.
FleetProfileFile parseFleetProfile(std::string_view text,
                                   const std::string &source = "the fleet profile");

} // namespace pitwall
