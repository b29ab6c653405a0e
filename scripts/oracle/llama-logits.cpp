// llama-logits: the logits oracle for llama3j's model tests.
//
// Runs a prompt through llama.cpp (the version scripts/oracle/setup-llama-cpp.sh builds) and
// prints, as one JSON object on stdout, the prompt's token ids, the logits at every prompt
// position and a greedy continuation with the logits each step was chosen from. Comparing full
// logits (not only greedy tokens) catches numeric drift long before it flips an argmax.
//
// Built by setup-llama-cpp.sh against that tree's include/llama.h; the calls follow
// examples/simple/simple.cpp of the same version, except that the prompt goes in a
// llama_batch_init batch with every position flagged for output (llama_batch_get_one only
// returns the last position's logits).
//
// Usage: see usage() below or README.md next to this file.

#include "llama.h"

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

struct Options {
    std::string model;
    std::string prompt;
    bool have_prompt = false;
    std::vector<llama_token> given_tokens;  // --tokens: skip the tokenizer
    int n_predict = 0;
    int top_k = 0;                          // 0 = full logits
    int n_threads = 1;
    bool add_special = true;
    bool parse_special = false;
    bool last_only = false;
    bool verbose = false;
    // F32 KV cache and no flash attention: the exact reference. llama.cpp's own defaults (F16
    // cache, flash attention auto) round K/V to half precision, which on a tiny random Llama
    // moved logits by 7e-3 where these settings stay within 4e-6 of a float64 forward pass.
    ggml_type kv_type = GGML_TYPE_F32;
    llama_flash_attn_type flash_attn = LLAMA_FLASH_ATTN_TYPE_DISABLED;
};

void usage(const char * argv0) {
    fprintf(stderr,
        "usage: %s -m MODEL.gguf (-p PROMPT | -f PROMPT_FILE | --tokens ID,ID,...) [options]\n"
        "  -n N             greedy continuation of N tokens (default 0)\n"
        "  --top K          print the top K ids+logits per position instead of all logits\n"
        "  -t N             threads (default 1: one thread is the reproducible reference)\n"
        "  --last-only      only the last prompt position's logits\n"
        "  --no-special     tokenize with add_special=false (no BOS)\n"
        "  --parse-special  tokenize with parse_special=true (\"<|eot_id|>\" becomes one token)\n"
        "  --kv f32|f16     KV cache type (default f32; llama.cpp's tools default to f16)\n"
        "  --fa off|on|auto flash attention (default off; llama.cpp's tools default to auto)\n"
        "  -v               llama.cpp's log on stderr\n",
        argv0);
}

[[noreturn]] void fail(const std::string & message) {
    fprintf(stderr, "llama-logits: error: %s\n", message.c_str());
    exit(1);
}

int parse_int(const std::string & flag, const char * value, int min) {
    char * end = nullptr;
    long v = strtol(value, &end, 10);
    if (end == value || *end != '\0' || v < min || v > 1000000000L) {
        fail(flag + " needs an integer >= " + std::to_string(min) + ", got '" + value + "'");
    }
    return (int) v;
}

std::vector<llama_token> parse_ids(const char * text) {
    std::vector<llama_token> ids;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) continue;
        ids.push_back(parse_int("--tokens", item.c_str(), 0));
    }
    if (ids.empty()) fail("--tokens got no ids");
    return ids;
}

Options parse_args(int argc, char ** argv) {
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto value = [&]() -> const char * {
            if (i + 1 >= argc) fail(a + " needs a value");
            return argv[++i];
        };
        if (a == "-m") o.model = value();
        else if (a == "-p") { o.prompt = value(); o.have_prompt = true; }
        else if (a == "-f") {
            const char * path = value();
            std::ifstream in(path, std::ios::binary);
            if (!in) fail(std::string("cannot read prompt file '") + path + "'");
            std::stringstream buf;
            buf << in.rdbuf();
            o.prompt = buf.str();
            o.have_prompt = true;
        }
        else if (a == "--tokens") o.given_tokens = parse_ids(value());
        else if (a == "-n") o.n_predict = parse_int(a, value(), 0);
        else if (a == "--top") o.top_k = parse_int(a, value(), 1);
        else if (a == "-t") o.n_threads = parse_int(a, value(), 1);
        else if (a == "--last-only") o.last_only = true;
        else if (a == "--no-special") o.add_special = false;
        else if (a == "--parse-special") o.parse_special = true;
        else if (a == "--kv") {
            std::string v = value();
            if (v == "f16") o.kv_type = GGML_TYPE_F16;
            else if (v == "f32") o.kv_type = GGML_TYPE_F32;
            else fail("--kv must be f16 or f32, got '" + v + "'");
        }
        else if (a == "--fa") {
            std::string v = value();
            if (v == "auto") o.flash_attn = LLAMA_FLASH_ATTN_TYPE_AUTO;
            else if (v == "on") o.flash_attn = LLAMA_FLASH_ATTN_TYPE_ENABLED;
            else if (v == "off") o.flash_attn = LLAMA_FLASH_ATTN_TYPE_DISABLED;
            else fail("--fa must be auto, on or off, got '" + v + "'");
        }
        else if (a == "-v") o.verbose = true;
        else if (a == "-h" || a == "--help") { usage(argv[0]); exit(0); }
        else { usage(argv[0]); fail("unknown argument '" + a + "'"); }
    }
    if (o.model.empty()) { usage(argv[0]); fail("-m MODEL is required"); }
    if (o.have_prompt == !o.given_tokens.empty()) {
        usage(argv[0]);
        fail("give exactly one of -p, -f or --tokens");
    }
    return o;
}

void quiet_log(ggml_log_level level, const char * text, void *) {
    if (level == GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

std::vector<llama_token> tokenize(const llama_vocab * vocab, const Options & o) {
    // First call sizes the result (negative count), second fills it; as in simple.cpp.
    int n = -llama_tokenize(vocab, o.prompt.data(), (int32_t) o.prompt.size(), nullptr, 0,
                            o.add_special, o.parse_special);
    if (n < 0) n = 0;  // a positive return with no buffer means zero tokens
    std::vector<llama_token> tokens(n);
    int got = llama_tokenize(vocab, o.prompt.data(), (int32_t) o.prompt.size(), tokens.data(), n,
                             o.add_special, o.parse_special);
    if (got < 0) fail("tokenization failed (" + std::to_string(got) + ")");
    tokens.resize(got);
    return tokens;
}

// Lowest id wins ties, like llama.cpp's greedy sampler (strict '>' scanning up from id 0).
llama_token argmax(const float * logits, int n_vocab) {
    int best = 0;
    for (int i = 1; i < n_vocab; i++) {
        if (logits[i] > logits[best]) best = i;
    }
    return best;
}

void print_float(float f) {
    if (std::isfinite(f)) printf("%.9g", f);  // 9 significant digits round-trip a float
    else printf("null");
}

template <typename T>
void print_list(const std::vector<T> & v) {
    printf("[");
    for (size_t i = 0; i < v.size(); i++) {
        if (i) printf(",");
        if constexpr (std::is_same_v<T, float>) print_float(v[i]);
        else printf("%d", (int) v[i]);
    }
    printf("]");
}

// Prints the "logits" array, or "top_ids"/"top_logits" (descending logit, ties by lower id).
void print_logits(const float * logits, int n_vocab, int top_k) {
    if (top_k <= 0) {
        print_list(std::vector<float>(logits, logits + n_vocab));
        return;
    }
    std::vector<int> ids(n_vocab);
    std::iota(ids.begin(), ids.end(), 0);
    int k = std::min(top_k, n_vocab);
    std::partial_sort(ids.begin(), ids.begin() + k, ids.end(), [&](int a, int b) {
        return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    });
    std::vector<int> top(ids.begin(), ids.begin() + k);
    std::vector<float> top_logits;
    for (int id : top) top_logits.push_back(logits[id]);
    print_list(top);
    printf(",\"top_logits\":");
    print_list(top_logits);
}

void print_step_logits(const float * logits, int n_vocab, int top_k) {
    printf(top_k > 0 ? "\"top_ids\":" : "\"logits\":");
    print_logits(logits, n_vocab, top_k);
}

}  // namespace

int main(int argc, char ** argv) {
    std::setlocale(LC_NUMERIC, "C");
    Options o = parse_args(argc, argv);
    if (!o.verbose) llama_log_set(quiet_log, nullptr);

    ggml_backend_load_all();
    llama_backend_init();

    llama_model_params mparams = llama_model_default_params();
    mparams.n_gpu_layers = 0;  // CPU only: the reference is the CPU build
    llama_model * model = llama_model_load_from_file(o.model.c_str(), mparams);
    if (model == nullptr) fail("unable to load model '" + o.model + "'");
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_vocab = llama_vocab_n_tokens(vocab);

    std::vector<llama_token> prompt = o.given_tokens.empty() ? tokenize(vocab, o) : o.given_tokens;
    if (prompt.empty()) fail("the prompt has no tokens");
    for (llama_token t : prompt) {
        if (t < 0 || t >= n_vocab) fail("token id " + std::to_string(t) + " is outside the vocabulary (" + std::to_string(n_vocab) + ")");
    }
    const int n_prompt = (int) prompt.size();

    llama_context_params cparams = llama_context_default_params();
    cparams.n_ctx = n_prompt + std::max(o.n_predict, 1);
    cparams.n_batch = n_prompt;   // the whole prompt in one decode call ...
    cparams.n_ubatch = n_prompt;  // ... and one graph evaluation
    cparams.n_threads = o.n_threads;
    cparams.n_threads_batch = o.n_threads;
    cparams.type_k = o.kv_type;
    cparams.type_v = o.kv_type;
    cparams.flash_attn_type = o.flash_attn;
    cparams.no_perf = true;
    llama_context * ctx = llama_init_from_model(model, cparams);
    if (ctx == nullptr) fail("failed to create the llama_context");

    llama_batch batch = llama_batch_init(n_prompt, 0, 1);
    for (int i = 0; i < n_prompt; i++) {
        batch.token[i] = prompt[i];
        batch.pos[i] = i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = (!o.last_only || i == n_prompt - 1) ? 1 : 0;
    }
    batch.n_tokens = n_prompt;
    if (int rc = llama_decode(ctx, batch); rc != 0) fail("llama_decode of the prompt returned " + std::to_string(rc));

    char desc[256];
    llama_model_desc(model, desc, sizeof(desc));
    printf("{\"model\":\"");
    for (const char * c = o.model.c_str(); *c; c++) {
        if (*c == '"' || *c == '\\') putchar('\\');
        if ((unsigned char) *c >= 0x20) putchar(*c);
    }
    printf("\",\"model_desc\":\"%s\",\"llama_version\":\"%s\",\"n_vocab\":%d,\"n_threads\":%d,"
           "\"kv_type\":\"%s\",\"flash_attn\":\"%s\",\"add_special\":%s,\"parse_special\":%s,\"top_k\":%d,",
           desc, llama_version(), n_vocab, o.n_threads, o.kv_type == GGML_TYPE_F32 ? "f32" : "f16",
           llama_flash_attn_type_name(o.flash_attn), o.add_special ? "true" : "false",
           o.parse_special ? "true" : "false", o.top_k);
    printf("\"prompt_tokens\":");
    print_list(prompt);

    // prompt_logits[j] = logits after prompt position pos (they predict token pos+1).
    printf(",\"prompt_logits\":[");
    bool first = true;
    for (int i = 0; i < n_prompt; i++) {
        if (!batch.logits[i]) continue;
        const float * logits = llama_get_logits_ith(ctx, i);
        if (logits == nullptr) fail("no logits for prompt position " + std::to_string(i));
        printf("%s{\"pos\":%d,", first ? "" : ",", i);
        print_step_logits(logits, n_vocab, o.top_k);
        printf("}");
        first = false;
    }
    printf("]");

    // greedy[s] = {id: argmax of the logits it was chosen from, logits: those logits}; step 0
    // is chosen from the last prompt position. Generation does not stop at end-of-generation
    // tokens: the oracle reports exactly N steps.
    std::vector<float> current(llama_get_logits_ith(ctx, n_prompt - 1), llama_get_logits_ith(ctx, n_prompt - 1) + n_vocab);
    llama_batch_free(batch);
    std::vector<llama_token> generated;
    printf(",\"greedy\":[");
    for (int s = 0; s < o.n_predict; s++) {
        llama_token next = argmax(current.data(), n_vocab);
        generated.push_back(next);
        printf("%s{\"step\":%d,\"id\":%d,\"eog\":%s,", s ? "," : "", s, next,
               llama_vocab_is_eog(vocab, next) ? "true" : "false");
        print_step_logits(current.data(), n_vocab, o.top_k);
        printf("}");
        if (s + 1 < o.n_predict) {
            llama_batch one = llama_batch_get_one(&generated.back(), 1);
            if (int rc = llama_decode(ctx, one); rc != 0) fail("llama_decode of step " + std::to_string(s) + " returned " + std::to_string(rc));
            const float * logits = llama_get_logits_ith(ctx, -1);
            if (logits == nullptr) fail("no logits after step " + std::to_string(s));
            current.assign(logits, logits + n_vocab);
        }
    }
    printf("],\"greedy_ids\":");
    print_list(generated);
    printf("}\n");

    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
