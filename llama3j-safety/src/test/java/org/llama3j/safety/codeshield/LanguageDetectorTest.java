package org.llama3j.safety.codeshield;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageDetectorTest {
    private final LanguageDetector detector = new LanguageDetector();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            PYTHON     | import os\\ndef main():\\n    print(os.getcwd())\\n
            JAVA       | import java.util.List;\\npublic class A {\\n  public static void main(String[] a) { System.out.println(a); }\\n}
            KOTLIN     | import kotlin.math.max\\nfun main() {\\n    val x = 3\\n    println(x)\\n}
            C          | #include <stdio.h>\\nint main(void) {\\n  char *s = malloc(4);\\n  printf("%s", s);\\n}
            CPP        | #include <iostream>\\nint main() {\\n  std::cout << "hi";\\n}
            CSHARP     | using System;\\nnamespace App {\\n  class P { static void Main() { Console.WriteLine("x"); } }\\n}
            JAVASCRIPT | const fs = require('fs');\\nconst f = (x) => { console.log(x); };
            PHP        | <?php\\n$name = $_GET['name'];\\necho $name;
            RUST       | use std::io;\\nfn main() {\\n    let mut s = String::new();\\n    println!("{}", s);\\n}
            GO         | package main\\nimport "fmt"\\nfunc main() {\\n\\tx := 1\\n\\tfmt.Println(x)\\n}
            UNKNOWN    | hello world, this is prose.
            UNKNOWN    | ''
            """)
    void detects(Language expected, String escaped) {
        String code = escaped == null ? "" : escaped.replace("\\n", "\n").replace("\\t", "\t");
        assertEquals(expected, detector.detect(code));
    }

    @ParameterizedTest
    @CsvSource({"py,PYTHON", "Python3,PYTHON", "ts,JAVASCRIPT", "tsx,JAVASCRIPT", "c++,CPP", "cs,CSHARP", "kt,KOTLIN",
            "rs,RUST", "golang,GO", "php,PHP", "h,C"})
    void fenceNames(String name, Language expected) {
        assertEquals(expected, Language.fromName(name).orElseThrow());
    }
}
