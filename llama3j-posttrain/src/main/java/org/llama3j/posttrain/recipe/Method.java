package org.llama3j.posttrain.recipe;

import java.util.Locale;

/** The post-training method a recipe runs ({@code method:} key). */
public enum Method {
    SFT("sft"), REWARD("reward"), DPO("dpo"), REJECTION_SAMPLING("rejection-sampling"), PPO("ppo");

    private final String key;

    Method(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    static Method parse(String text) {
        for (Method m : values()) {
            if (m.key.equals(text.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("method must be one of sft, reward, dpo, rejection-sampling, ppo; got '"
                + text + "'");
    }
}
