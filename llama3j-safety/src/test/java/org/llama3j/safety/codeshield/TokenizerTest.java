package org.llama3j.safety.codeshield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    private static List<Token> strings(String code, LexicalSyntax syn) {
        return Tokenizer.tokenize(code, syn, ScanDeadline.unlimited()).tokens().stream()
                .filter(t -> t.kind() == Token.Kind.STRING).toList();
    }

    private static List<String> idents(String code, LexicalSyntax syn) {
        return Tokenizer.tokenize(code, syn, ScanDeadline.unlimited()).tokens().stream()
                .filter(t -> t.kind() == Token.Kind.IDENT).map(Token::text).toList();
    }

    @Test
    void pythonPrefixesTripleQuotesAndFStrings() {
        List<Token> s = strings("a = f\"x{y}\" + rb'\\d' + '''q\n'''", LexicalSyntax.PYTHON);
        assertEquals(List.of("f\"x{y}\"", "rb'\\d'", "'''q\n'''"), s.stream().map(Token::text).toList());
        assertTrue(s.get(0).interpolated());
        assertFalse(s.get(1).interpolated());
        assertFalse(strings("f\"{{literal}}\"", LexicalSyntax.PYTHON).getFirst().interpolated());
        assertEquals(List.of("a"), idents("a # b c", LexicalSyntax.PYTHON));
    }

    @Test
    void javascriptTemplatesAndComments() {
        List<Token> s = strings("x = `a ${b}` + `plain` /* `c` */ // 'd'", LexicalSyntax.JAVASCRIPT);
        assertEquals(2, s.size());
        assertTrue(s.get(0).interpolated());
        assertFalse(s.get(1).interpolated());
    }

    @Test
    void phpAndKotlinDollarInterpolation() {
        assertTrue(strings("$q = \"id = $id\";", LexicalSyntax.PHP).getFirst().interpolated());
        assertFalse(strings("$q = 'id = $id';", LexicalSyntax.PHP).getFirst().interpolated());
        assertTrue(strings("val q = \"id = ${x.id}\"", LexicalSyntax.KOTLIN).getFirst().interpolated());
        assertFalse(strings("val q = \"cost \\$5\"", LexicalSyntax.KOTLIN).getFirst().interpolated());
        assertEquals(List.of("$x"), idents("$x = 1; # comment", LexicalSyntax.PHP));
    }

    @Test
    void csharpVerbatimAndInterpolated() {
        List<Token> s = strings("var a = @\"C:\\dir\"\"q\"\"\"; var b = $\"n={n}\";", LexicalSyntax.CSHARP);
        assertEquals("@\"C:\\dir\"\"q\"\"\"", s.get(0).text());
        assertTrue(s.get(1).interpolated());
    }

    @Test
    void rustRawStringsAndLifetimes() {
        List<Token> s = strings("fn f<'a>(x: &'a str) -> char { let r = r#\"a \"q\" b\"#; 'c' }", LexicalSyntax.RUST);
        assertEquals(List.of("r#\"a \"q\" b\"#", "'c'"), s.stream().map(Token::text).toList());
        assertTrue(idents("fn f<'a>(x: &'a str)", LexicalSyntax.RUST).contains("str"));
    }

    @Test
    void cppRawStringAndUnterminatedStringEndsAtLineBreak() {
        assertEquals("R\"x(a \" b)x\"", strings("auto s = R\"x(a \" b)x\";", LexicalSyntax.CPP).getFirst().text());
        List<String> ids = idents("char *s = \"oops\nsystem(cmd);", LexicalSyntax.C);
        assertTrue(ids.contains("system"), ids.toString());
    }

    @Test
    void regionsMarkCommentsAndStrings() {
        String code = "x = 1 /* c */ + \"s\"";
        byte[] regions = Tokenizer.tokenize(code, LexicalSyntax.C, ScanDeadline.unlimited()).regions();
        assertEquals(Tokenizer.CODE, regions[0]);
        assertEquals(Tokenizer.COMMENT, regions[code.indexOf("c */")]);
        assertEquals(Tokenizer.STRING, regions[code.indexOf('s')]);
    }
}
