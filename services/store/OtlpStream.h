#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <istream>
#include <string>

namespace pitwall {

// Limits on what an OTLP/JSON file may hold; anything beyond is refused (or cut, for long
// strings) with a sentence naming the place. They bound memory and stack, not what SDKs write:
// OpenTelemetry SDKs keep attribute values to a few levels and truncate long values themselves.
struct OtlpLimits {
    static constexpr int kMaxJsonDepth = 100;           // nesting of the whole document
    static constexpr int kMaxValueDepth = 16;           // arrays and lists in an attribute
    static constexpr size_t kMaxStringBytes = 4u << 20; // one string kept whole; longer: cut
    static constexpr size_t kMaxSpanBytes = 64u << 20;  // one span's text, all told
};

// One span (or one resource) of an OTLP/JSON document, read on its own: `place` is its JSON
// path ("FILE: $.resourceSpans[0].scopeSpans[1].spans[4]"), `truncated` lists the strings in
// it that were cut to kMaxStringBytes, as {"at": relative path, "bytes": original size}.
struct OtlpPiece {
    nlohmann::json value;
    std::string place;
    size_t resource = 0; // index in resourceSpans
    nlohmann::json truncated = nlohmann::json::array();
};

// Reads OTLP/JSON trace exports from a stream, a document after another (one per file, or one
// per line as the Collector's file exporter writes them), without holding more than one span
// at a time: the structure around the spans is walked event by event (nlohmann's SAX
// interface), and only each span and each resource is built as a value. `onResource` comes
// before the spans of its resource when the document puts "resource" first (every SDK and the
// Collector do); else the spans of that resource are held until its end. Throws OtlpError.
class OtlpStreamReader {
public:
    using Sink = std::function<void(OtlpPiece &&)>;
    OtlpStreamReader(std::string name, Sink onResource, Sink onSpan);
    // Returns the number of documents read.
    size_t read(std::istream &in);

private:
    std::string m_name;
    Sink m_onResource, m_onSpan;
};

} // namespace pitwall
