// Pages with little logic: imprint, privacy, terms.
export function ImprintPage({ siteName, publisher }: { siteName: string; publisher: string }) {
  return (
    <div class="prose">
      <h1>Impressum</h1>
      <p><strong>{siteName}</strong> wird herausgegeben von der {publisher} GmbH.</p>
      <p>Anschrift, Vertretungsberechtigte, Registergericht, Umsatzsteuer-Identifikationsnummer und die nach § 18 Abs. 2 MStV verantwortliche Person trägt der Verlag hier ein, bevor die Seite öffentlich erreichbar ist.</p>
      <p>Dies ist eine Demo-Zeitung von Klartext. Alle Orte, Personen und Ereignisse sind erfunden.</p>
    </div>
  );
}

export function PrivacyPage({ siteName }: { siteName: string }) {
  return (
    <div class="prose">
      <h1>Datenschutz</h1>
      <p>{siteName} lädt keine Schriften, Skripte oder Bilder von Dritten. Es gibt keine Werbe- oder Analyse-Tracker von Drittanbietern.</p>
      <p>Wenn Sie sich registrieren, speichern wir Ihre E-Mail-Adresse, Ihr Passwort (nur als Hash), Ihre Einwilligungen und Ihre Anmeldesitzungen. Im Bereich „Mein Konto“ können Sie alle Ihre Daten herunterladen und Ihr Konto löschen.</p>
      <p>Damit die freien Plus-Artikel eines Monats nicht durch ein neues Konto mit derselben Adresse erneut beginnen, speichern wir zu jedem so freigeschalteten Artikel einen Prüfwert Ihrer E-Mail-Adresse – einen mit geheimem Schlüssel berechneten Hash, nicht die Adresse selbst – ohne Verbindung zu Ihrem Konto. Er bleibt auch nach einer Kontolöschung bis zum Ende des Monats gespeichert und wird danach gelöscht.</p>
      <p>Die vollständige Datenschutzerklärung des Verlags wird hier eingetragen, bevor die Seite öffentlich erreichbar ist.</p>
    </div>
  );
}

export function TermsPage({ siteName, publisher }: { siteName: string; publisher: string }) {
  return (
    <div class="prose">
      <h1>Nutzungsbedingungen</h1>
      <p>Mit einem kostenlosen Konto bei {siteName} können Sie sich anmelden, ausgewählte Artikel lesen und ein Plus-Abo abschließen. Das Konto können Sie jederzeit unter „Mein Konto“ löschen.</p>
      <p>Die vollständigen Nutzungs- und Abo-Bedingungen der {publisher} GmbH werden hier eingetragen, bevor die Seite öffentlich erreichbar ist.</p>
    </div>
  );
}
