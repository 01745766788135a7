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
      <h2 id="reichweite">Was wir über die Nutzung zählen – ohne Sie zu verfolgen</h2>
      <p>Damit die Redaktion weiß, welche Artikel gelesen werden und welche zu einem Abo führen, zählen wir einige Ereignisse selbst, auf unserem eigenen Server. Es gibt dafür keine Dienste Dritter, keine Cookies und kein Profil.</p>
      <ul>
        <li><strong>Aus der Seite</strong> (ein kurzer Hinweis Ihres Browsers an uns, wenn Sie JavaScript eingeschaltet haben): ein Artikel wurde aufgerufen; das Angebotsfeld eines Plus-Artikels wurde angezeigt, dazu, ob Sie angemeldet waren und ob Ihre freien Artikel des Monats verbraucht sind; ein Bestell-Link im Angebotsfeld wurde angeklickt.</li>
        <li><strong>Auf dem Server</strong>: eine Bestellseite wurde geöffnet, eine Bestellung abgeschlossen, ein Konto über die Bezahlschranke eines Artikels angelegt, ein freier Plus-Artikel oder ein Geschenk-Link genutzt, ein Abo gekündigt.</li>
      </ul>
      <p>Gespeichert werden nur die Art des Ereignisses, der Zeitpunkt sowie gegebenenfalls der Artikel, das Angebot und die Variante des Angebotsfelds. <strong>Nicht</strong> gespeichert werden Ihre IP-Adresse, Ihr Browser, Cookies, Ihre Sitzung oder Ihr Konto – ein Ereignis lässt sich keiner Person zuordnen. Die einzelnen Ereignisse löschen wir nach 90 Tagen; danach bleiben nur die Tagessummen je Artikel, Ressort und Angebot.</p>
      <p>Jeder Seitenaufruf bekommt in Ihrem Browser eine zufällige Kennung, damit ein doppelt gesendeter Hinweis nur einmal zählt. Sie wird nicht gespeichert; unser Server behält sie höchstens eine Stunde im Arbeitsspeicher.</p>
      <p><strong>Zuordnung einer Bestellung:</strong> Sehen Sie das Angebotsfeld eines Plus-Artikels, merkt sich Ihr Browser – nur auf Ihrem Gerät, im lokalen Speicher unter „klartext:paywall“ – diesen Artikel, den Zeitpunkt und die Variante des Angebotsfelds. Bestellen Sie innerhalb von 7 Tagen ein Abo, schickt das Bestellformular diesen Artikel mit, und wir speichern ihn bei Ihrem Abo. So erfahren wir, welcher Artikel zu Bestellungen führt – mehr nicht. Läuft ein Test verschiedener Angebotsfelder, legt Ihr Browser außerdem unter „klartext:ab“ eine Zufallszahl ab, damit Sie immer dieselbe Variante sehen. Beides können Sie jederzeit in Ihrem Browser löschen (Website-Daten dieser Seite).</p>
      <p><strong>Widerspruch:</strong> Senden Sie das Signal „Global Privacy Control“ oder „Do Not Track“ (eine Einstellung in vielen Browsern), zählen wir aus Ihrem Browser nichts, und Ihr Browser speichert nichts für die Zuordnung. Ohne JavaScript werden ebenfalls keine Hinweise gesendet.</p>
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
