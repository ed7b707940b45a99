package com.polydebate.auth;

/** The two kinds of one-time code (column {@code verification_codes.code_type}). */
enum CodePurpose {
    SIGNUP("signup"), LOGIN("login");

    private final String dbValue;

    CodePurpose(String dbValue) {
        this.dbValue = dbValue;
    }

    String dbValue() {
        return dbValue;
    }
}
