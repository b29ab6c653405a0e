package org.llama3j.recipes.sft;

/**
 * A corpus sentence used as a free-text answer, and the word it is "about" (one of its own words), so
 * that "Tell me about {topic}." has an answer that mentions the topic.
 */
public record TopicSentence(String topic, String text) {
    public TopicSentence {
        if (!text.contains(topic)) {
            throw new IllegalArgumentException("topic '" + topic + "' is not a word of '" + text + "'");
        }
    }
}
