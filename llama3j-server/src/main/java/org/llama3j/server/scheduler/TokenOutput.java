package org.llama3j.server.scheduler;

import org.llama3j.generate.TokenLogprob;

/**
 * A generated token as a client sees it.
 *
 * @param tokenId  the id, or -1 for text released at the end (held back by the UTF-8 decoder or the stop-string filter)
 * @param text     the text it completes (may be empty)
 * @param logprob  its log-probability when requested, else null
 */
public record TokenOutput(int tokenId, String text, TokenLogprob logprob) {
}
