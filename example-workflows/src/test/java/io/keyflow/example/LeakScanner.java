package io.keyflow.example;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

/**
 * Looks for secret values in every column of every table of a database (text, and binary columns read as
 * UTF-8) and in captured log text. A secret is also looked for base64-encoded, so an encoding step cannot
 * hide a leak.
 * <p>
 * A copy of credential-plugin's test class of the same name (test classes are not shared between modules).
 */
public final class LeakScanner {

	private LeakScanner() {
	}

	/**
	 * @param dataSource the database
	 * @param secrets the values that must not appear
	 * @return one line per finding: table.column contains secret #n
	 */
	public static List<String> scanDatabase(DataSource dataSource, Collection<String> secrets) throws SQLException {
		List<String> findings = new ArrayList<>();
		try (Connection connection = dataSource.getConnection()) {
			List<String> tables = new ArrayList<>();
			try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] { "TABLE" })) {
				while (rs.next()) {
					String schema = rs.getString("TABLE_SCHEM");
					if (schema == null || !schema.equalsIgnoreCase("INFORMATION_SCHEMA")
							&& !schema.equalsIgnoreCase("pg_catalog")) {
						tables.add((schema != null) ? schema + "." + rs.getString("TABLE_NAME") : rs.getString("TABLE_NAME"));
					}
				}
			}
			for (String table : tables) {
				try (Statement statement = connection.createStatement();
						ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
					ResultSetMetaData meta = rs.getMetaData();
					while (rs.next()) {
						for (int column = 1; column <= meta.getColumnCount(); column++) {
							String text = text(rs, column);
							if (text != null) {
								check(findings, table + "." + meta.getColumnName(column), text, secrets);
							}
						}
					}
				}
			}
		}
		return findings;
	}

	/**
	 * @param where a label for the text
	 * @param text text such as a captured log
	 * @param secrets the values that must not appear
	 * @return one line per finding
	 */
	public static List<String> scanText(String where, String text, Collection<String> secrets) {
		List<String> findings = new ArrayList<>();
		check(findings, where, text, secrets);
		return findings;
	}

	/**
	 * @param dataSource the database
	 * @return the names of its tables (upper case), for asserting that a scan covered what it should
	 */
	public static List<String> tableNames(DataSource dataSource) throws SQLException {
		List<String> names = new ArrayList<>();
		try (Connection connection = dataSource.getConnection();
				ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] { "TABLE" })) {
			while (rs.next()) {
				names.add(rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT));
			}
		}
		return names;
	}

	private static String text(ResultSet rs, int column) throws SQLException {
		int type = rs.getMetaData().getColumnType(column);
		if (type == java.sql.Types.BLOB || type == java.sql.Types.BINARY || type == java.sql.Types.VARBINARY
				|| type == java.sql.Types.LONGVARBINARY) {
			byte[] bytes = rs.getBytes(column);
			return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : null;
		}
		return rs.getString(column);
	}

	private static void check(List<String> findings, String where, String text, Collection<String> secrets) {
		int n = 0;
		for (String secret : secrets) {
			n++;
			String base64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
			if (text.contains(secret) || text.contains(base64.substring(0, base64.length() - 4))) {
				// the finding names the place and the secret's position, never the secret
				findings.add(where + " contains secret #" + n);
			}
		}
	}

}
