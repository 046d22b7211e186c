using System.Globalization;
using System.Text;

namespace CrmAnalytics.IO.Input.Sniffing;

/// <summary>The transaction fields a column can hold, as the mapping keys name them, plus returns (reported, never mapped).</summary>
internal enum ColumnRole
{
    CustomerId,
    Date,
    Amount,
    Quantity,
    UnitPrice,
    OrderId,
    Returns,
}

/// <summary>
/// Scores header names against each role, in English, German, French, Spanish, Dutch, Italian and Portuguese, and the names
/// of common exports (Shopify, WooCommerce, Magento, Stripe, SAP, UCI Online Retail). Names are compared after folding
/// case and accents and dropping everything but letters and digits (<c>Kunden-Nr.</c> → <c>kundennr</c>): a known name
/// scores 3 (a weaker known name 2.5), a name containing a keyword 2, and a word that names something else
/// (tax, shipping, birth date, …) takes 2 off.
/// </summary>
internal static class ColumnRoles
{
    private static readonly Dictionary<ColumnRole, (string[] Exact, string[] Weaker, string[] Keywords, string[] Not)> Words = new()
    {
        [ColumnRole.CustomerId] = (
            ["customerid", "customer", "customerno", "customernumber", "customernr", "customercode", "custid", "cust", "clientid", "client", "customeruserid", "buyerid", "accountid", "memberid", "contactid",
             "kundennummer", "kundennr", "kunde", "kundenid", "debitor", "debitorennummer", "debitornummer", "geschaftspartner",
             "idclient", "numeroclient", "noclient", "codeclient", "idcliente", "cliente", "numerocliente", "codigocliente", "nrocliente",
             "klant", "klantnummer", "klantnr", "klantid", "codicecliente", "codcliente"],
            ["email", "customeremail", "billingemail", "emailaddress", "kundenemail", "courriel", "correo", "userid"],
            ["customer", "kunde", "kunden", "client", "klant", "cliente", "buyer", "debitor"],
            ["name", "city", "country", "zip", "postal", "phone", "address", "type", "group", "segment", "since", "land", "stadt", "ville", "pays", "ciudad", "pais", "naam", "nom", "nombre", "note", "count"]),
        [ColumnRole.Date] = (
            ["date", "orderdate", "invoicedate", "purchasedate", "transactiondate", "saledate", "createdat", "created", "createdutc", "createddate", "paidat", "datetime", "timestamp", "orderdatetime", "purchasedateutc",
             "datum", "bestelldatum", "rechnungsdatum", "belegdatum", "buchungsdatum", "kaufdatum", "auftragsdatum", "verkaufsdatum",
             "dateachat", "datecommande", "datefacture", "datedecommande", "datedefacture", "datedachat", "datevente",
             "fecha", "fechapedido", "fechafactura", "fechacompra", "fechadepedido", "fechadecompra", "fechaventa",
             "besteldatum", "factuurdatum", "orderdatum", "aankoopdatum", "data", "dataordine", "datafattura", "dataacquisto", "datapedido", "datacompra"],
            [],
            ["date", "datum", "fecha", "data", "created", "timestamp", "zeitpunkt"],
            ["birth", "geburt", "naissance", "nacimiento", "geboorte", "delivery", "delivered", "liefer", "livraison", "entrega", "levering", "ship", "versand", "due", "falli", "updated", "modified", "cancel", "refund", "expir", "valid"]),
        [ColumnRole.Amount] = (
            ["amount", "total", "ordertotal", "grandtotal", "totalamount", "revenue", "sales", "sale", "value", "netamount", "grossamount", "linetotal", "totalprice", "dollarvalue", "amountpaid", "totalpaid", "grandtotalbase", "grandtotalpurchased", "spend",
             "betrag", "umsatz", "gesamtbetrag", "summe", "wert", "bruttobetrag", "nettobetrag", "rechnungsbetrag", "gesamtpreis", "endbetrag",
             "montant", "montanttotal", "montantttc", "montantht", "totalttc", "totalht", "chiffredaffaires",
             "importe", "importetotal", "monto", "montototal", "totalpedido", "valortotal",
             "bedrag", "totaalbedrag", "omzet", "totaal", "totaalprijs", "importo", "importototale", "valor"],
            ["subtotal", "zwischensumme", "soustotal"],
            ["amount", "total", "revenue", "sales", "value", "betrag", "umsatz", "summe", "montant", "importe", "monto", "bedrag", "omzet", "totaal", "importo", "valor"],
            ["tax", "vat", "mwst", "ust", "steuer", "tva", "iva", "btw", "shipping", "versand", "livraison", "envio", "verzend", "discount", "rabatt", "remise", "descuento", "korting", "sconto",
             "refund", "erstatt", "rembours", "reembolso", "fee", "gebuhr", "frais", "currency", "wahrung", "devise", "moneda", "valuta", "quantity", "count", "items", "unit", "each", "einzel", "stuck"]),
        [ColumnRole.Quantity] = (
            ["quantity", "qty", "quantityordered", "units", "numberofitems", "itemcount", "lineitemquantity", "pieces", "pcs", "menge", "anzahl", "stuck", "stuckzahl", "quantite", "qte", "cantidad", "cant", "aantal", "hoeveelheid", "quantita", "qta", "quantidade"],
            [],
            ["quantity", "qty", "menge", "anzahl", "quantit", "cantidad", "aantal"],
            ["price", "preis", "prix", "precio", "prijs", "prezzo", "amount", "total", "refund"]),
        [ColumnRole.UnitPrice] = (
            ["unitprice", "price", "priceeach", "itemprice", "lineitemprice", "unitcost", "rate", "preis", "einzelpreis", "stuckpreis", "verkaufspreis", "prixunitaire", "prix", "pu", "preciounitario", "precio", "prijs", "stukprijs", "eenheidsprijs", "prezzo", "prezzounitario", "precounitario", "preco"],
            [],
            ["price", "preis", "prix", "precio", "prijs", "prezzo", "preco"],
            ["total", "gesamt", "totaal", "compare", "cost", "tax"]),
        [ColumnRole.OrderId] = (
            ["orderid", "order", "ordernumber", "orderno", "ordernr", "invoice", "invoiceno", "invoiceid", "invoicenumber", "transactionid", "receipt", "receiptid", "incrementid",
             "bon", "bonnummer", "belegnummer", "beleg", "bestellnummer", "bestellung", "auftrag", "auftragsnummer", "rechnungsnummer", "rechnung",
             "commande", "numerocommande", "nocommande", "facture", "numerofacture", "pedido", "numeropedido", "factura", "numerofactura",
             "bestelnummer", "bestelling", "ordernummer", "factuurnummer", "factuur", "ordine", "numeroordine", "fattura"],
            ["id"],
            ["order", "invoice", "bestell", "auftrag", "rechnung", "beleg", "commande", "facture", "pedido", "factura", "bestel", "factuur", "ordine", "receipt", "transaction"],
            ["date", "datum", "fecha", "status", "total", "amount", "line", "item", "customer", "kunde", "client"]),
        [ColumnRole.Returns] = (
            ["returned", "return", "returns", "isreturn", "refund", "refunded", "amountrefunded", "retoure", "storno", "ruckgabe", "retour", "devolucion", "devuelto", "cancelled", "canceled"],
            [],
            ["return", "refund", "retoure", "storno", "retour", "devolu"],
            []),
    };

    /// <summary>Letters and digits only, lower case, accents removed.</summary>
    public static string Normalize(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString().Replace("ß", "ss", StringComparison.Ordinal);
    }

    /// <summary>How well <paramref name="header"/> names <paramref name="role"/>: 0 for not at all.</summary>
    public static double Score(string header, ColumnRole role)
    {
        var name = Normalize(header);
        if (name.Length == 0)
        {
            return 0;
        }

        var (exact, weaker, keywords, not) = Words[role];
        var score = exact.Contains(name) ? 3 : weaker.Contains(name) ? 2.5 : keywords.Any(name.Contains) ? 2 : 0;
        if (score > 0 && not.Any(name.Contains) && !exact.Contains(name))
        {
            score -= 2;
        }

        return Math.Max(score, 0);
    }
}
